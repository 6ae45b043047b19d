"""Confirmation for dangerous actions: an unlock, a gate opening, a machine start runs only when
the same source says yes.

A command whose actions include a dangerous one is answered `needs_confirmation` with a
token and the action in words; nothing is published. The source's *next* command decides:
"yes", the token, "confirm <token>" or JSON {"confirm": "<token>"} runs the held actions
once; anything else cancels them. A token from another source, after its time limit, or
used a second time does nothing and says why. A misheard "unlock" therefore needs a second,
deliberate utterance from the same place, and a panel that was tricked into sending one
cannot be confirmed from anywhere else.
"""

from __future__ import annotations

import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import Callable, Literal

from pydantic import BaseModel, ConfigDict, Field

from nanoiot.registry import Registry
from nanoiot.schema import Action, When

YES = {"yes", "yes please", "confirm", "confirmed", "yes confirm", "do it", "go ahead"}
TOKEN = re.compile(r"^(?:confirm\s+)?(\d{6})$")


class ConfirmRule(BaseModel):
    """An action that needs confirmation: its service, optionally only on some device kinds or ids."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    service: str = Field(description="service pattern, e.g. lock.unlock, machine.*")
    kinds: list[str] | None = Field(default=None, description="only targets of these registry kinds")
    devices: list[str] | None = Field(default=None, description="only these device id patterns")

    def applies(self, service: str, target: str, registry: Registry) -> bool:
        if not fnmatchcase(service, self.service):
            return False
        device = registry.get(target)
        if self.kinds is not None and (device is None or device.kind not in self.kinds):
            return False
        return self.devices is None or any(fnmatchcase(target, pattern) for pattern in self.devices)


DEFAULT_RULES = [
    ConfirmRule(service="lock.unlock"),
    ConfirmRule(service="cover.open_cover", kinds=["garage_door", "gate"]),
    ConfirmRule(service="valve.open_valve"),
    ConfirmRule(service="machine.start"),
    ConfirmRule(service="machine.reset_fault"),
]


class ConfirmConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    rules: list[ConfirmRule] = Field(default_factory=lambda: list(DEFAULT_RULES),
                                     description="the site's dangerous actions; [] turns confirmation off")
    exempt_devices: list[str] = Field(default_factory=list, description="device id patterns never confirmed")
    timeout_s: float = Field(default=30.0, gt=0, le=3600, description="how long a token stays valid")


def dangerous(actions: list[Action], config: ConfirmConfig, registry: Registry) -> list[Action]:
    """The actions of a command that need confirmation."""
    out = []
    for action in actions:
        for target in action.targets:
            if any(fnmatchcase(target, p) for p in config.exempt_devices):
                continue
            if any(rule.applies(action.service, target, registry) for rule in config.rules):
                out.append(action)
                break
    return out


def in_words(actions: list[Action], registry: Registry) -> str:
    """ "unlock front door (lock.front_door)": what a person is asked to confirm."""
    parts = []
    for action in actions:
        verb = action.service.split(".", 1)[-1].replace("_", " ")
        names = [f"{d.name} ({d.id})" if (d := registry.get(t)) else t for t in action.targets]
        data = "".join(f", {k}={v}" for k, v in action.data.items())
        parts.append(f"{verb} {', '.join(names)}{data}")
    return "; ".join(parts)


@dataclass
class Pending:
    token: str
    source: str
    command_id: str | None
    actions: list[Action]
    words: str
    expires: float
    state: Literal["pending", "used", "cancelled", "expired"] = "pending"
    created: float = field(default=0.0)
    lasting: When | None = None  # "unlock the door for 5 minutes": undone that long after it is confirmed


@dataclass(frozen=True)
class Outcome:
    """What a confirming command did: `pending` set when it may run; else `code` and `message` say why not."""

    pending: Pending | None
    code: str | None = None
    message: str | None = None


MAX_TOKENS = 10_000  # remembered at once, pending or spent (one in a hundred of the six-digit tokens)


class Confirmations:
    """Held commands by token; at most one pending per source (a newer one replaces it)."""

    def __init__(self, config: ConfirmConfig, clock: Callable[[], float] = time.monotonic, keep_s: float = 600.0) -> None:
        self.config = config
        self._clock = clock
        self._keep_s = keep_s  # how long a spent token is remembered, to say why it no longer works
        self._by_token: dict[str, Pending] = {}
        self._by_source: dict[str, str] = {}
        self._lock = threading.Lock()

    def hold(self, source: str, command_id: str | None, actions: list[Action], words: str, lasting: When | None = None) -> Pending:
        now = self._clock()
        with self._lock:
            self._forget(now)
            self._cancel(source)
            token = f"{secrets.randbelow(10**6):06d}"
            while token in self._by_token:
                token = f"{secrets.randbelow(10**6):06d}"
            pending = Pending(token, source, command_id, list(actions), words, now + self.config.timeout_s, created=now,
                              lasting=lasting)
            self._by_token[token] = pending
            self._by_source[source] = token
            return pending

    @staticmethod
    def token_in(text: str, confirm: str | None = None) -> str | None:
        """The token or "yes" this command confirms with ("" for a plain yes), None when it is no confirmation."""
        if confirm is not None:
            return confirm.strip()
        said = " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())
        if said in YES:
            return ""
        match = TOKEN.match(said)
        return match.group(1) if match else None

    def confirm(self, source: str, token: str) -> Outcome:
        """Use `token` ("" = this source's pending one) from `source`: runs at most once, only from its source, in time."""
        now = self._clock()
        with self._lock:
            self._forget(now)
            if not token:
                token = self._by_source.get(source, "")
                if not token:
                    return Outcome(None, "nothing_to_confirm", "there is no action waiting for confirmation from this source")
            pending = self._by_token.get(token)
            if pending is None:
                return Outcome(None, "confirmation_unknown", "no action is waiting under this token")
            if pending.source != source:
                return Outcome(None, "confirmation_wrong_source",
                               "this token was issued to another source; only the source that asked may confirm")
            if pending.state == "pending" and now > pending.expires:
                pending.state = "expired"
            if pending.state != "pending":
                why = {"used": "was already used: the action ran once", "cancelled": "was cancelled by a later command from this source",
                       "expired": f"expired ({self.config.timeout_s:g} s limit); ask again"}[pending.state]
                return Outcome(None, f"confirmation_{pending.state}", f"this token {why}")
            pending.state = "used"
            self._by_source.pop(source, None)
            return Outcome(pending)

    def cancel(self, source: str) -> Pending | None:
        """Any other command from a source ends what it had pending (the confirmation must be its *next* command)."""
        with self._lock:
            return self._cancel(source)

    def _cancel(self, source: str) -> Pending | None:
        token = self._by_source.pop(source, None)
        pending = self._by_token.get(token) if token else None
        if pending is not None and pending.state == "pending":
            pending.state = "cancelled"
            return pending
        return None

    def _forget(self, now: float) -> None:
        """Tokens are kept in the order they were given, and all live equally long: the spent ones are at the front
        (a scan of all of them on every command made a flood of commands to confirm cost more with each one). Past
        MAX_TOKENS the oldest go too, even if still pending: a token forgotten confirms nothing, so nothing runs."""
        while self._by_token:
            token, pending = next(iter(self._by_token.items()))
            if pending.expires + self._keep_s >= now and len(self._by_token) <= MAX_TOKENS:
                return
            del self._by_token[token]
            if self._by_source.get(pending.source) == token:
                del self._by_source[pending.source]
