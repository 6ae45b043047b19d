"""docs/protocol.md carries the JSON Schemas of the wire models as the code defines them."""

from pathlib import Path

from nanoiot.gateway import schemas

DOC = Path(__file__).parent.parent / "docs" / "protocol.md"


def test_protocol_doc_schemas_are_up_to_date():
    text = DOC.read_text(encoding="utf-8")
    assert schemas.BEGIN in text and schemas.END in text
    assert schemas.refreshed(text) == text, "run: python -m nanoiot.gateway.schemas --write docs/protocol.md"


def test_refresh_replaces_only_the_generated_part():
    stale = f"# Title\n\nprose\n\n{schemas.BEGIN}\nold\n{schemas.END}\n\ntail\n"
    fresh = schemas.refreshed(stale)
    assert fresh.startswith("# Title\n\nprose\n\n") and fresh.endswith("\n\ntail\n")
    assert "\nold\n" not in fresh
    assert "### CommandResult" in fresh and '"latency_ms"' in fresh and '"states"' in fresh
