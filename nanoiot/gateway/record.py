"""The record of what the gateway did for recent commands: a repeat or a redelivery is answered, not actuated again.

Two keys: the sender's (source, id), kept in the journal so it survives a SIGKILL, and the
broker's (session, packet id), for a redelivery of a command that carried no id. A record
keeps the command's text, so a sender whose id counter restarted gets its new command run,
not an old answer.
"""

from __future__ import annotations

from typing import Any

import structlog

from .dedup import RecentIds, ResultLog
from .inbound import Command, Received

log = structlog.get_logger()

Key = tuple[str, str]


class CommandRecord:
    def __init__(self, results: ResultLog, packets: RecentIds[dict] | None = None) -> None:
        self.results = results
        self.packets: RecentIds[dict] = packets if packets is not None else RecentIds(4096, 120.0)

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
            previous = self.packets.get(_packet(msg))
        return previous

    def remember(self, cmd: Command, msg: Received, result: dict[str, Any]) -> None:
        """Once the command's device messages are out (the broker has them) and before it is acknowledged."""
        value = {**result, "text": cmd.text}
        if cmd.sender_id:
            self.results.put(cmd.key, value)
        if msg.qos:
            self.packets.put(_packet(msg), value)


def _packet(msg: Received) -> Key:
    return ("mqtt", f"{msg.epoch}:{msg.mid}")
