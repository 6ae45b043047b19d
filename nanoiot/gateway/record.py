"""The record of what the gateway did for recent commands: a repeat or a redelivery is answered, not actuated again.

Two keys: the sender's (source, id), kept in the journal so it survives a SIGKILL, and the
broker's (session, packet id), for a redelivery of a command that carried no id. A record
keeps the command's text, so a sender whose id counter restarted gets its new command run,
not an old answer.

Write-ahead: before a command's device messages go out, the record holds them as *planned*
(`intend`); once the broker has them, the result replaces the plan (`remember`). A gateway
killed between the two leaves the plan, and the redelivered command replays exactly those
messages (`replay`) instead of being understood again: a second reading could differ (a
change by degrees starts from the setpoint the first one already raised; the registry or
the model may have changed), and a relative step would be applied twice.
"""

from __future__ import annotations

import json
from typing import Any

import structlog

from nanoiot.schema import CommandResult

from .dedup import RecentIds, ResultLog, compact
from .inbound import Command, Received
from .payloads import Outbound, repeatable

log = structlog.get_logger()

Key = tuple[str, str]


class CommandRecord:
    def __init__(self, results: ResultLog, packets: RecentIds[str] | None = None) -> None:
        self.results = results
        self.packets: RecentIds[str] = packets if packets is not None else RecentIds(4096, 120.0)  # compact JSON

    @staticmethod
    def keys(cmd: Command, msg: Received) -> list[Key]:
        keys = [cmd.key] if cmd.sender_id else []
        if msg.qos:
            keys.append(_packet(msg))
        return keys

    def previous(self, cmd: Command, msg: Received) -> dict[str, Any] | None:
        """The recorded result of this very command (same sender id and text, or the broker's redelivery), else None."""
        previous = self.results.get(cmd.key) if cmd.sender_id and not cmd.dry_run else None
        if previous is not None and previous.get("text", cmd.text) != cmd.text:
            log.info("command.id_reused", id=cmd.id, source=cmd.source)  # another text under an old id: a new command
            previous = None
        if previous is None and msg.dup and msg.qos:
            packet = self.packets.get(_packet(msg))
            previous = json.loads(packet) if packet is not None else None
        return previous

    def intend(self, planned: list[tuple[Command, CommandResult, list[Outbound]]]) -> None:
        """Before the device messages of these commands (with sender ids) are published: one journal write.

        Only where there is a journal: a plan in memory dies with the process it would serve.
        """
        if not self.results.durable:
            return
        entries = []
        for cmd, result, outbound in planned:
            if cmd.sender_id and outbound:
                messages = [[o.device_id, o.topic, o.payload.decode("utf-8", "surrogateescape")] for o in outbound if repeatable(o)]
                entries.append((cmd.key, {**result.model_dump(mode="json"), "text": cmd.text, "planned": messages,
                                          "not_repeatable": len(outbound) - len(messages)}))
        self.results.put_many(entries)

    @staticmethod
    def replay(previous: dict[str, Any]) -> list[Outbound] | None:
        """The planned device messages of a command whose gateway died before it recorded the result, else None.

        Only messages a device may get twice are kept (they carry the command id, which a device
        drops as a repeat, or set an absolute state); a relative step may have been applied, so
        it is not sent again: at most once for those, at least once for the rest.
        """
        if "planned" not in previous:
            return None
        return [Outbound(d, t, p.encode("utf-8", "surrogateescape")) for d, t, p in previous["planned"]]

    def remember(self, cmd: Command, msg: Received, result: dict[str, Any]) -> None:
        """Once the command's device messages are out (the broker has them) and before it is acknowledged."""
        value = {**result, "text": cmd.text}
        if cmd.sender_id:
            self.results.put(cmd.key, value)
        if msg.qos:
            self.packets.put(_packet(msg), compact(value))


def _packet(msg: Received) -> Key:
    return ("mqtt", f"{msg.epoch}:{msg.mid}")
