"""Devices with a panel or a microphone: they publish what people say and read the gateway's answer."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, ConfigDict, Field

from firmware_sim import topics
from nanoiot.schema import CommandRequest


class Source(BaseModel):
    """A wall panel, voice satellite or PLC terminal; `area` is where it hangs (the gateway's area hint)."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    kind: str = Field(default="wall_panel", description="wall_panel, voice_satellite, plc_terminal")
    area: str | None = None
    name: str | None = None


class Speaker:
    """Topic and message building for one source; the MQTT client belongs to whoever drives it."""

    def __init__(self, source: Source, site: str, prefix: str = topics.PREFIX) -> None:
        self.source = source
        self.command_topic = topics.source_command_topic(site, source.id, prefix)
        self.result_topic = topics.source_result_topic(site, source.id, prefix)

    def request(self, text: str, command_id: str | None = None) -> CommandRequest:
        """The JSON a panel publishes; the id lets it match the gateway's answer."""
        return CommandRequest(id=command_id or f"{self.source.id}-{uuid.uuid4().hex[:12]}", text=text)
