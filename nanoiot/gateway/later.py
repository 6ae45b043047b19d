"""Commands for later and for a while, between the worker and the schedule.

"turn off the kettle in 30 minutes" is kept until its moment, "turn on the porch light for 10
minutes" is done now and its undoing kept until its end, "cancel that" drops what a source has
waiting. The worker calls `keep` for such a command (after screening, before acknowledging it),
`send_due` between batches and `cancel` before the model; the schedule keeps them on disk.
"""

from __future__ import annotations

import json
import re
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import structlog

from nanoiot.kinds import UNDO
from nanoiot.normalize import normalize
from nanoiot.registry import Registry
from nanoiot.schema import Action, ParseResult
from nanoiot.when import due

from .config import GatewayConfig
from .confirm import dangerous, in_words
from .inbound import Command
from .outbox import Outbox
from .payloads import Outbound, PayloadError, device_messages
from .schedule import UNDO_SUFFIX, Entry, Schedule, ScheduleError, schedule_path
from .stats import Stats
from .topics import Topics

log = structlog.get_logger()

# "cancel that", "never mind": said while the source has commands for later waiting, it drops them all
CANCEL = re.compile(r"(?:please )?(?:cancel|forget|scrap|call off|never ?mind)(?: (?:that|it|this|them|all|everything"
                    r"|the timers?|my timers?|the last (?:one|command)|what i (?:said|asked)(?: for)?(?: before)?))?(?: please)?")


class Later:
    def __init__(self, config: GatewayConfig) -> None:
        self.config = config
        limits = config.limits
        self.schedule = Schedule(schedule_path(config), limits.max_scheduled, limits.schedule_grace_s)
        self.zone = ZoneInfo(config.timezone) if config.timezone else None  # None: the system's clock and zone

    def keep(self, cmd: Command, result: ParseResult, outbound: list[Outbound], registry: Registry,
             topics: Topics) -> tuple[str | None, str | None]:
        """Keep the device messages of a command for later until their moment, and those that undo a command that
        lasts a while until its end; (when it is done, when it is undone) on the gateway's clock. Raises ScheduleError."""
        now = time.time()
        start = due(result.when, now, self.zone) if result.when else now
        end = start + result.lasting.after_s if result.lasting else None
        ahead = self.config.limits.max_schedule_ahead_s
        if (end or start) - now > ahead:
            said = " and ".join(w.said for w in (result.when, result.lasting) if w)
            raise ScheduleError("out_of_range", f"{said!r} ends more than {ahead / 3600:g} hours away; commands for later "
                                                "are kept up to that long")
        entries = []
        key = json.dumps([cmd.source, cmd.id]) if cmd.sender_id else f"mqtt:{time.monotonic_ns()}"
        if result.when:
            entries.append(Entry(key, start, cmd.id, cmd.source, cmd.text, tuple(outbound)))
        if result.lasting:
            undoing = self._undoing(cmd, result, registry, topics)
            entries.append(Entry(key + UNDO_SUFFIX, end or start, cmd.id + UNDO_SUFFIX, cmd.source, cmd.text, undoing))
        if not cmd.dry_run:
            kept = self.schedule.add(*entries)
            start = kept[0].due if result.when else start
            end = kept[-1].due if result.lasting else None
            log.info("schedule.kept", id=cmd.id, source=cmd.source, due_in_s=round(start - now, 1) if result.when else None,
                     undo_in_s=round(end - now, 1) if end else None, devices=len(outbound))
        return (self._iso(start) if result.when else None), (self._iso(end) if end else None)

    def _undoing(self, cmd: Command, result: ParseResult, registry: Registry, topics: Topics) -> tuple[Outbound, ...]:
        """The device messages that undo `result`'s actions, under their own id (a device drops a repeated id)."""
        undo = [Action(service=UNDO[a.service], targets=a.targets) for a in result.actions]
        held = dangerous(undo, self.config.confirm, registry)
        if held:
            raise ScheduleError("unsupported", f"undoing it later ({in_words(held, registry)}) would need a confirmation "
                                               "nobody is there to give: say when to do each")
        try:
            return tuple(m for a in undo for m in device_messages(a, cmd.id + UNDO_SUFFIX, registry, topics))
        except PayloadError as exc:
            raise ScheduleError("unsupported", f"cannot undo it later: {exc}") from None

    def _iso(self, moment: float) -> str:
        return datetime.fromtimestamp(moment, self.zone).astimezone(self.zone).isoformat(timespec="seconds")

    def send_due(self, outbox: Outbox, registry: Registry, stats: Stats) -> None:
        """Send the device messages whose moment has come; each entry is forgotten once the broker has them."""
        for entry in self.schedule.due():
            known = [m for m in entry.messages if registry.get(m.device_id) is not None]
            if not outbox.deliver(known):
                return  # shutting down: kept for the next start
            self.schedule.done(entry.key)
            stats.incr("sent_later")
            log.info("schedule.sent", id=entry.command_id, source=entry.source, late_s=round(time.time() - entry.due, 3),
                     devices=len(known), gone=sorted({m.device_id for m in entry.messages} - {m.device_id for m in known}))

    def cancel(self, cmd: Command) -> list[str] | None:
        """The ids dropped when `cmd` is "cancel that" from a source with something waiting, else None (an ordinary
        sentence). Raises ScheduleError where the drop cannot be written."""
        if not CANCEL.fullmatch(" ".join(normalize(cmd.text).split())) or not self.schedule.waiting(cmd.source):
            return None
        gone = [e.command_id for e in self.schedule.cancel(cmd.source)]
        log.info("schedule.cancelled", id=cmd.id, source=cmd.source, cancelled=gone)
        return gone
