"""Pydantic models for every message nanoiot puts on the wire or prints.

One place for the contract, so that `docs/protocol.md` can export JSON Schemas
from exactly the classes the code uses.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Status = Literal["ok", "not_understood", "rejected", "error", "needs_confirmation"]


class Action(BaseModel):
    """One Home Assistant style service call on registry devices."""

    model_config = ConfigDict(extra="forbid")

    service: str = Field(description="<domain>.<service>, e.g. light.turn_on")
    targets: list[str] = Field(default_factory=list, description="registry device ids")
    data: dict[str, Any] = Field(default_factory=dict)


class ErrorInfo(BaseModel):
    """Why a command was not carried out: a stable code and a human message."""

    code: str
    message: str


class ModelInfo(BaseModel):
    name: str
    version: str


class When(BaseModel):
    """When a command is for, as said ("in 30 minutes", "at 6 am"); the gateway's clock makes it a moment."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    after_s: float | None = Field(default=None, ge=0, description="a delay: seconds after the command arrives")
    at: str | None = Field(default=None, pattern=r"^(?:[01]\d|2[0-3]):[0-5]\d$",
                           description="a time of day (HH:MM) on the gateway's clock, the next time it comes")
    either_half: bool = Field(default=False, description="no am / pm said ('at 7 o'clock'): `at` or 12 hours later, "
                              "whichever comes first")
    tomorrow: bool = Field(default=False, description="`at` on tomorrow's date, not the next time it comes")
    said: str = Field(description="the words that said it")

    @model_validator(mode="after")
    def _one(self) -> "When":
        if (self.after_s is None) == (self.at is None):
            raise ValueError("a When is a delay (after_s) or a time of day (at), exactly one")
        return self


class ParseResult(BaseModel):
    """What the model and resolver made of one sentence."""

    status: Status
    actions: list[Action] = Field(default_factory=list)
    error: ErrorInfo | None = None
    model: ModelInfo
    when: When | None = Field(default=None, description="set when the actions are for later ('in 30 minutes', 'at 6 am')")
    lasting: When | None = Field(default=None, description="'for 10 minutes': the gateway undoes the actions `after_s` "
                                 "after doing them (off after on, close after open, return to base after a start)")


class CommandRequest(BaseModel):
    """A natural-language command as a device sends it (JSON form)."""

    model_config = ConfigDict(extra="ignore")

    id: str | None = Field(default=None, min_length=1, max_length=128)
    text: str = Field(default="", description="the sentence; required unless `confirm` is given")
    reply_to: str | None = None
    dry_run: bool = Field(
        default=False,
        description="understand and resolve only: nothing is published to devices and the id is not recorded "
        "(what a Wyoming `recognize` asks for)",
    )
    confirm: str | None = Field(default=None, min_length=1, max_length=64, pattern=r"^\S+$",
                                description="the token of a needs_confirmation result: run the action held under it")

    @model_validator(mode="after")
    def _text_or_confirm(self) -> "CommandRequest":
        if not self.text and self.confirm is None:
            raise ValueError("text is required (or confirm with a token)")
        return self


class Confirmation(BaseModel):
    """A held dangerous action: the same source runs it by sending "yes", the token, or {"confirm": token} next."""

    token: str
    action: str = Field(description="the held action in words")
    expires_in_s: float


class CommandResult(ParseResult):
    """The gateway's answer to one command."""

    id: str | None
    source: str
    latency_ms: float
    states: dict[str, dict[str, Any] | None] | None = Field(
        default=None,
        description="for query.get_state: device id -> the last state it published, null if none was seen yet",
    )
    confirmation: Confirmation | None = Field(default=None, description="set when status is needs_confirmation")
    scheduled_for: str | None = Field(default=None, description="set when the actions are for later: when the gateway will "
                                      "send them (ISO 8601, the gateway's clock and offset); nothing went to a device yet")
    until: str | None = Field(default=None, description="set with `lasting`: when the gateway will undo the actions (ISO 8601)")
    cancelled: list[str] | None = Field(default=None, description="'cancel that': the ids of this source's commands for later "
                                        "that will not be sent now (an undoing's id ends in /undo)")
