"""Permissions, confirmation and rate limits as pure functions (no broker, no model)."""

from __future__ import annotations

import pytest
from support import DEVICES

from nanoiot.gateway.config import ConfigError, load_config
from nanoiot.gateway.confirm import Confirmations, ConfirmConfig, dangerous, in_words
from nanoiot.gateway.permissions import PermissionsConfig, Permissions, SourceRule, registry_sources, rules_from_registry
from nanoiot.gateway.ratelimit import RateLimitConfig, RateLimiter
from nanoiot.gateway.stats import Stats
from nanoiot.registry import Registry
from nanoiot.schema import Action

REGISTRY = Registry.model_validate({"devices": DEVICES + [
    {"id": "cover.garage_door", "name": "garage door", "area": "garage", "domain": "cover", "kind": "garage_door"},
    {"id": "cover.blinds", "name": "blinds", "area": "kitchen", "domain": "cover", "kind": "blind"},
]})
UNLOCK_FRONT = Action(service="lock.unlock", targets=["lock.front_door"])
PORCH_ON = Action(service="light.turn_on", targets=["light.porch"])
QUERY = Action(service="query.get_state", targets=["lock.front_door"])

GARDEN = SourceRule(areas=["garden", "porch"], services=["light.*", "lock.lock", "query.get_state"])
CONFIG = PermissionsConfig(default=SourceRule(services=["query.get_state"]), sources={"garden_panel": GARDEN})


def test_a_source_may_only_touch_its_areas_and_services():
    rules = Permissions(CONFIG, REGISTRY)
    assert rules.check("garden_panel", [PORCH_ON]).allowed
    assert rules.check("garden_panel", [Action(service="lock.lock", targets=["lock.back_door"])]).allowed
    refused = rules.check("garden_panel", [Action(service="lock.unlock", targets=["lock.back_door"])])
    assert not refused.allowed and "service lock.unlock" in refused.refused[0]
    outside = rules.check("garden_panel", [Action(service="light.turn_on", targets=["light.porch", "light.kitchen_ceiling"])])
    assert not outside.allowed and "light.kitchen_ceiling" in outside.refused[0]


def test_one_forbidden_action_refuses_the_whole_command_and_says_so():
    verdict = Permissions(CONFIG, REGISTRY).check("garden_panel", [PORCH_ON, UNLOCK_FRONT])
    assert not verdict.allowed and len(verdict.refused) == 1
    assert "none of its 2 actions was carried out" in verdict.message(2)


def test_unknown_sources_get_the_default_and_known_ones_the_known_rule():
    rules = Permissions(CONFIG.model_copy(update={"known": SourceRule(domains=["light"])}), REGISTRY, known_sources={"hall_panel"})
    assert rules.check("stranger", [QUERY]).allowed
    assert not rules.check("stranger", [PORCH_ON]).allowed
    assert rules.rule_for("stranger")[0] == "default"
    assert rules.check("hall_panel", [PORCH_ON]).allowed and not rules.check("hall_panel", [UNLOCK_FRONT]).allowed
    assert Permissions(PermissionsConfig(), REGISTRY).check("anyone", [UNLOCK_FRONT, PORCH_ON]).allowed  # built-in: as before


def test_device_and_domain_filters_and_unknown_targets():
    rule = SourceRule(devices=["light.kitchen_*"], domains=["light"])
    assert rule.forbids(Action(service="light.turn_on", targets=["light.kitchen_island"]), REGISTRY) is None
    assert rule.forbids(PORCH_ON, REGISTRY) == "device light.porch"
    assert SourceRule(areas=["kitchen"]).forbids(Action(service="light.turn_on", targets=["light.nowhere"]), REGISTRY)


def test_registry_sources_carry_their_permissions():
    registry = REGISTRY.model_copy(update={"sources": Registry.model_validate({"devices": [], "sources": [
        {"id": "kitchen_panel", "area": "kitchen", "permissions": {"areas": ["kitchen"]}}, {"id": "phone"}]}).sources})
    entries = registry_sources(registry)
    assert [e["id"] for e in entries] == ["kitchen_panel", "phone"]
    rules = rules_from_registry(entries)
    assert rules == {"kitchen_panel": SourceRule(areas=["kitchen"])}
    config_wins = Permissions(PermissionsConfig(sources={"kitchen_panel": SourceRule()}), REGISTRY, {"phone"}, rules)
    assert config_wins.rule_for("kitchen_panel")[0] == "source"
    assert Permissions(PermissionsConfig(), REGISTRY, {"phone"}, rules).rule_for("kitchen_panel")[0] == "registry"


def test_default_dangerous_actions():
    confirm = ConfirmConfig()
    assert dangerous([UNLOCK_FRONT, PORCH_ON], confirm, REGISTRY) == [UNLOCK_FRONT]
    garage = Action(service="cover.open_cover", targets=["cover.garage_door"])
    blinds = Action(service="cover.open_cover", targets=["cover.blinds"])
    assert dangerous([garage, blinds], confirm, REGISTRY) == [garage]
    assert dangerous([Action(service="machine.start", targets=["machine.conveyor_b"])], confirm, REGISTRY)
    assert not dangerous([Action(service="machine.stop", targets=["machine.conveyor_b"])], confirm, REGISTRY)
    assert not dangerous([UNLOCK_FRONT], ConfirmConfig(exempt_devices=["lock.front_*"]), REGISTRY)
    assert not dangerous([UNLOCK_FRONT], ConfirmConfig(rules=[]), REGISTRY)
    assert in_words([UNLOCK_FRONT], REGISTRY) == "unlock front door (lock.front_door)"


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_token_runs_once_only_from_its_source_and_only_in_time():
    clock = Clock()
    held = Confirmations(ConfirmConfig(timeout_s=30), clock=clock)
    pending = held.hold("hall", "c-1", [UNLOCK_FRONT], "unlock front door")
    assert len(pending.token) == 6 and pending.token.isdigit()
    assert held.confirm("garden", pending.token).code == "confirmation_wrong_source"
    assert held.confirm("garden", "").code == "nothing_to_confirm"
    ran = held.confirm("hall", pending.token)
    assert ran.pending is pending and ran.pending.actions == [UNLOCK_FRONT]
    assert held.confirm("hall", pending.token).code == "confirmation_used"
    assert held.confirm("hall", "").code == "nothing_to_confirm"
    late = held.hold("hall", "c-2", [UNLOCK_FRONT], "unlock front door")
    clock.now += 31
    assert held.confirm("hall", "").code == "nothing_to_confirm" or held.confirm("hall", late.token).code == "confirmation_expired"
    assert held.confirm("hall", late.token).code == "confirmation_expired"
    assert held.confirm("hall", "999999" if late.token != "999999" else "000000").code == "confirmation_unknown"


def test_yes_confirms_this_sources_pending_and_another_command_cancels_it():
    held = Confirmations(ConfirmConfig())
    first = held.hold("hall", "c-1", [UNLOCK_FRONT], "x")
    assert held.cancel("hall") is first
    assert held.confirm("hall", first.token).code == "confirmation_cancelled"
    second = held.hold("hall", "c-2", [UNLOCK_FRONT], "x")
    assert held.confirm("hall", "").pending is second


def test_spent_tokens_are_forgotten_in_order_and_at_most_max_tokens_are_kept(monkeypatch):
    import nanoiot.gateway.confirm as confirm

    clock = Clock()
    held = Confirmations(ConfirmConfig(timeout_s=30), clock=clock, keep_s=60)
    old = held.hold("hall", "c-1", [UNLOCK_FRONT], "x")
    clock.now += 50
    fresh = held.hold("porch", "c-2", [UNLOCK_FRONT], "x")
    clock.now += 41  # the first is 91 s old: past its 30 s and the 60 s it is remembered; the second is not
    held.hold("garden", "c-3", [UNLOCK_FRONT], "x")
    assert held.confirm("hall", old.token).code == "confirmation_unknown"
    assert held.confirm("porch", fresh.token).code == "confirmation_expired"
    monkeypatch.setattr(confirm, "MAX_TOKENS", 3)
    flood = [held.hold(f"panel-{i}", f"f-{i}", [UNLOCK_FRONT], "x") for i in range(5)]
    assert held.confirm("garden", "").code == "nothing_to_confirm"  # the oldest went first, pending or not
    assert held.confirm("panel-4", flood[4].token).pending is flood[4]
    assert held.confirm("panel-1", flood[1].token).code == "confirmation_unknown"


@pytest.mark.parametrize("text, token, expected", [
    ("Yes!", None, ""), ("yes please", None, ""), ("confirm 123456", None, "123456"), ("123456", None, "123456"),
    ("unlock the door", None, None), ("yes unlock the door", None, None), ("", "654321", "654321"),
])
def test_what_counts_as_a_confirmation(text, token, expected):
    assert Confirmations.token_in(text, token) == expected


def test_token_bucket_per_source():
    clock = Clock()
    limiter = RateLimiter(RateLimitConfig.model_validate({"default": {"rate_per_s": 2, "burst": 3},
                                                          "sources": {"plc": {"rate_per_s": 100, "burst": 100}}}), clock)
    assert [limiter.allow("panel") for _ in range(4)] == [True, True, True, False]
    assert limiter.allow("other")  # its own bucket
    assert all(limiter.allow("plc") for _ in range(50))
    clock.now += 0.5  # one token back at 2/s
    assert limiter.allow("panel") and not limiter.allow("panel")
    assert all(RateLimiter(RateLimitConfig()).allow("x") for _ in range(1000))  # no limit by default


def test_rate_limiter_keeps_a_bounded_number_of_buckets():
    limiter = RateLimiter(RateLimitConfig.model_validate({"default": {"rate_per_s": 1, "burst": 1}, "max_sources": 10}))
    for i in range(100):
        limiter.allow(f"s{i}")
    assert len(limiter._buckets) == 10


def test_stats_counts_from_many_threads():
    import threading

    stats = Stats()
    threads = [threading.Thread(target=lambda: [stats.incr("n") for _ in range(20000)]) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert stats["n"] == 80000 and stats["missing"] == 0 and "missing" not in stats and dict(stats) == {"n": 80000}


def test_config_tables_validate():
    config = load_config(overrides={"permissions": {"default": {"services": ["query.get_state"]},
                                                    "sources": {"garden_panel": {"areas": ["garden"]}}},
                                    "confirm": {"timeout_s": 10, "rules": [{"service": "lock.unlock"}]},
                                    "rate_limit": {"default": {"rate_per_s": 5, "burst": 10}}}, environ={})
    assert config.permissions.sources["garden_panel"].areas == ["garden"]
    with pytest.raises(ConfigError, match="permissions.sources.garden_panel.area"):
        load_config(overrides={"permissions": {"sources": {"garden_panel": {"area": ["garden"]}}}}, environ={})
    with pytest.raises(ConfigError, match="rate_limit.default.rate_per_s"):
        load_config(overrides={"rate_limit": {"default": {"rate_per_s": 0}}}, environ={})


def test_the_production_example_is_read_only_for_strangers():
    from pathlib import Path

    config = load_config(Path(__file__).parent.parent / "deploy" / "gateway.example.toml", environ={})
    assert config.permissions.default.services == ["query.get_state"]
    assert config.rate_limit.default is not None
