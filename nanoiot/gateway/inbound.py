"""Received MQTT messages to commands, or to a specific error; never an exception.

Runs on the inference worker, not the network thread. Each kind of bad input has its
own code (docs/protocol.md) so a device developer can tell what to fix.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass

from pydantic import ValidationError

from nanoiot.schema import CommandRequest

from .topics import Topics

SAID_ID = re.compile(r'"id"\s*:\s*"([^"\\]{1,128})"')
MAX_JSON_DEPTH = 16  # a command is one flat object; deep nesting only exists to exhaust the parser


def too_deep(text: str, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether arrays and objects in `text` nest deeper than `limit` (brackets in strings do not count).

    Checked before json.loads: a thousand levels fit in 3 KB and make the parser raise
    RecursionError. Only a text with more brackets than the limit is scanned.
    """
    if text.count("[") + text.count("{") <= limit:
        return False
    depth = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return True
        elif char in "]}":
            depth -= 1
    return False


@dataclass(frozen=True)
class Received:
    """One MQTT message as the network thread queued it."""

    topic: str
    payload: bytes
    qos: int
    mid: int
    retain: bool = False
    dup: bool = False  # the broker's redelivery of a message it sent before (same session, same mid)
    response_topic: str | None = None
    correlation_data: bytes | None = None
    received: float = 0.0  # time.monotonic() on arrival
    epoch: int = 0  # MQTT session it arrived on; an ack is only valid in the same session


@dataclass(frozen=True)
class Command:
    id: str
    source: str
    text: str
    reply_topic: str
    correlation_data: bytes | None
    sender_id: bool  # the sender chose the id (so a repeat is recognised); else we made one up
    dry_run: bool = False  # resolve only: publish nothing, record nothing
    confirm: str | None = None  # JSON {"confirm": token}: confirms a held dangerous action

    @property
    def key(self) -> tuple[str, str]:
        return (self.source, self.id)


@dataclass(frozen=True)
class Rejected:
    """Input that cannot become a command; answered at `reply_topic` when there is one."""

    code: str
    message: str
    source: str
    reply_topic: str | None
    correlation_data: bytes | None = None
    id: str | None = None


def new_id(gateway_id: str) -> str:
    return f"{gateway_id}-{uuid.uuid4().hex[:16]}"


def decode(msg: Received, topics: Topics, max_payload_bytes: int) -> Command | Rejected:
    """Validate topic, size, encoding and shape; the first problem found is the answer."""
    source = topics.source_of(msg.topic)
    response = msg.response_topic
    if response is not None and not topics.reply_allowed(response):
        default = topics.result(source) if source else None
        return Rejected("bad_reply_topic", f"response topic {response[:200]!r} is not one we answer on", source or "", default, msg.correlation_data)
    if source is None:
        return Rejected(
            "bad_topic",
            f"commands go to {topics.command_root}/<source>, one level of [A-Za-z0-9_.-], not {msg.topic[:200]!r}",
            "",
            response,
            msg.correlation_data,
        )
    reply = response or topics.result(source)
    fail = _failer(source, reply, msg.correlation_data)
    if len(msg.payload) > max_payload_bytes:
        return fail("too_large", f"payload is {len(msg.payload)} bytes; the limit is {max_payload_bytes}")
    if msg.retain:
        return fail("retained_command", "a retained command would run again on every reconnect; publish commands without retain")
    try:
        text = msg.payload.decode("utf-8")
    except UnicodeDecodeError as exc:
        return fail("bad_encoding", f"payload is not UTF-8 (byte {exc.start})")
    stripped = text.strip()
    if stripped[:1] not in ("{", "["):
        if not stripped:
            return fail("empty_text", "the command is empty")
        return Command(new_id(topics.gateway_id), source, stripped, reply, msg.correlation_data, sender_id=False)
    if too_deep(stripped):
        said_id = SAID_ID.search(stripped)  # best effort, so the sender can match the refusal
        return fail("bad_request", f"JSON nested more than {MAX_JSON_DEPTH} levels deep; a command is one flat object",
                    said_id.group(1) if said_id else None)
    try:
        raw = json.loads(stripped)
    except json.JSONDecodeError as exc:
        return fail("bad_json", f"payload is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}")
    except RecursionError:
        return fail("bad_request", "JSON nested too deeply")
    if not isinstance(raw, dict):
        return fail("bad_request", "a JSON command is an object: {\"id\": ..., \"text\": ...}")
    maybe_id = raw.get("id") if isinstance(raw.get("id"), str) and 0 < len(raw["id"]) <= 128 else None
    reply_to = raw.get("reply_to")
    if response is None and isinstance(reply_to, str) and reply_to:
        if not topics.reply_allowed(reply_to):
            return fail("bad_reply_topic", f"reply_to {reply_to[:200]!r} is not a topic we answer on", maybe_id)
        reply = reply_to
        fail = _failer(source, reply, msg.correlation_data)
    if isinstance(raw.get("text"), str) and not raw["text"].strip():
        return fail("empty_text", "the command text is empty", maybe_id)
    try:
        request = CommandRequest.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'payload'}: {e['msg']}" for e in exc.errors())
        return fail("bad_request", problems, maybe_id)
    text = request.text.strip() or f"confirm {request.confirm}"
    if request.id is None:
        return Command(new_id(topics.gateway_id), source, text, reply, msg.correlation_data, sender_id=False,
                       dry_run=request.dry_run, confirm=request.confirm)
    return Command(request.id, source, text, reply, msg.correlation_data, sender_id=True, dry_run=request.dry_run,
                   confirm=request.confirm)


def _failer(source: str, reply: str | None, correlation: bytes | None):  # type: ignore[no-untyped-def]
    def fail(code: str, message: str, command_id: str | None = None) -> Rejected:
        return Rejected(code, message, source, reply, correlation, command_id)

    return fail
