"""The gateway's safety step between the model's result and the device messages: permissions,
then confirmation of dangerous actions. Pure decisions; the service publishes and logs."""

from __future__ import annotations

from dataclasses import dataclass

import structlog

from nanoiot.registry import Registry
from nanoiot.schema import Confirmation, ErrorInfo, ParseResult

from .confirm import Confirmations, Outcome, dangerous, in_words
from .config import GatewayConfig
from .permissions import Permissions, registry_sources, rules_from_registry

log = structlog.get_logger()


@dataclass(frozen=True)
class Screened:
    result: ParseResult
    confirmation: Confirmation | None = None
    refused: str | None = None  # the refusal code, for the log event and the counter


class Guard:
    def __init__(self, config: GatewayConfig, registry: Registry) -> None:
        self.config = config
        self.confirmations = Confirmations(config.confirm)
        self.use(registry)

    def use(self, registry: Registry) -> None:
        """Judge by `registry` from now on (an imported device list changed it); held confirmations stay."""
        entries = registry_sources(registry)
        known = set(self.config.sources) | {e["id"] for e in entries}
        self.permissions = Permissions(self.config.permissions, registry, known, rules_from_registry(entries))
        self.registry = registry

    def screen(self, source: str, command_id: str | None, result: ParseResult) -> Screened:
        """The result to act on: unchanged, `rejected`/`forbidden` (none of its actions), or held for confirmation."""
        if result.status != "ok" or not result.actions:
            return Screened(result)
        verdict = self.permissions.check(source, result.actions)
        if not verdict.allowed:
            error = ErrorInfo(code="forbidden", message=verdict.message(len(result.actions)))
            return Screened(ParseResult(status="rejected", model=result.model, error=error), refused="forbidden")
        held = dangerous(result.actions, self.config.confirm, self.registry)
        if not held:
            return Screened(result)
        words = in_words(result.actions, self.registry)
        if result.when is not None:  # a confirmation is given for now; nobody is there to give it later
            error = ErrorInfo(code="unsupported", message=f"{words} must be confirmed when it is done, so it cannot wait for "
                                                          f"{result.when.said!r}: say it when it should happen")
            return Screened(ParseResult(status="rejected", model=result.model, error=error), refused="unsupported")
        pending = self.confirmations.hold(source, command_id, result.actions, words, result.lasting)
        timeout = self.config.confirm.timeout_s
        message = (f"confirm: {words}? Send \"yes\" or {pending.token} from this source as its next command "
                   f"within {timeout:g} s; nothing was done yet")
        return Screened(ParseResult(status="needs_confirmation", actions=result.actions, model=result.model,
                                    error=ErrorInfo(code="needs_confirmation", message=message)),
                        Confirmation(token=pending.token, action=words, expires_in_s=timeout), "needs_confirmation")

    def confirmation(self, source: str, text: str, token: str | None) -> Outcome | None:
        """For a command that confirms ("yes", a token), what it may run; None for any other command,
        which cancels what its source had waiting."""
        said = Confirmations.token_in(text, token)
        if said is None:
            cancelled = self.confirmations.cancel(source)
            if cancelled is not None:
                log.info("confirm.cancelled", source=source, command_id=cancelled.command_id, action=cancelled.words)
            return None
        return self.confirmations.confirm(source, said)
