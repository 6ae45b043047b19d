"""`nanoiot wyoming`: a Wyoming intent and handle service (Home Assistant Assist, Rhasspy 3).

    describe   -> info: an intent program and a handle program, English
    recognize  -> intent (Home Assistant intent name, slots as entities) or not-recognized;
                  nothing is actuated (the gateway resolves the sentence with dry_run)
    transcript -> handled with a short spoken answer, or not-handled, after the gateway
                  has published the actions exactly as for any MQTT command

Home Assistant's Wyoming conversation agent sends `transcript` and takes `handled`,
so "turn off the kitchen lights" said to Assist is carried out by nanoiot.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
import threading
from functools import partial
from pathlib import Path
from typing import Any, Callable

import structlog
from wyoming.asr import Transcript
from wyoming.event import Event
from wyoming.handle import Handled, NotHandled
from wyoming.info import Attribution, Describe, HandleModel, HandleProgram, Info, IntentModel, IntentProgram
from wyoming.intent import Entity, Intent, IntentsStart, IntentsStop, NotRecognized, Recognize
from wyoming.server import AsyncEventHandler, AsyncServer

from nanoiot import __version__ as NANOIOT_VERSION

from .gateway_client import GatewayClient, GatewayUnavailable
from .intents import Names, intent_of, registry_names, spoken

log = structlog.get_logger()

ATTRIBUTION = Attribution(name="nanoiot", url="https://github.com/nanoiot/nanoiot")
LANGUAGES = ["en"]


def describe(model_version: str | None = None) -> Info:
    """What Home Assistant reads on setup: it lists the intent program as a conversation agent."""
    version = model_version or NANOIOT_VERSION
    description = "natural-language device control through the nanoiot MQTT gateway"
    return Info(
        intent=[IntentProgram(name="nanoiot", attribution=ATTRIBUTION, installed=True, description=description,
                              version=NANOIOT_VERSION,
                              models=[IntentModel(name="nanoiot-commands", attribution=ATTRIBUTION, installed=True,
                                                  description="int8 seq2seq command model", version=version,
                                                  languages=LANGUAGES)])],
        handle=[HandleProgram(name="nanoiot", attribution=ATTRIBUTION, installed=True, description=description,
                              version=NANOIOT_VERSION, supports_home_control=True,
                              models=[HandleModel(name="nanoiot-commands", attribution=ATTRIBUTION, installed=True,
                                                  description="int8 seq2seq command model", version=version,
                                                  languages=LANGUAGES)])],
    )


class NanoiotHandler(AsyncEventHandler):
    """One Wyoming connection; every sentence becomes one gateway command."""

    def __init__(self, gateway: GatewayClient, names: Names, info: Info, *args: Any) -> None:
        super().__init__(*args)
        self.gateway = gateway
        self.names = names
        self.info = info

    async def handle_event(self, event: Event) -> bool:
        try:
            if Describe.is_type(event.type):
                await self.write_event(self.info.event())
            elif Recognize.is_type(event.type):
                await self._recognize(Recognize.from_event(event))
            elif Transcript.is_type(event.type):
                await self._handle(Transcript.from_event(event))
            else:
                log.debug("wyoming.ignored", type=event.type)
        except (KeyError, TypeError, ValueError) as exc:  # a malformed event: answer, never crash the server
            log.info("wyoming.bad_event", type=event.type, error=str(exc)[:200])
            await self.write_event(NotHandled(text="Sorry, that request was malformed").event())
        return True

    async def _recognize(self, request: Recognize) -> None:
        try:
            result = await self.gateway.request(request.text, dry_run=True)
        except GatewayUnavailable as exc:
            log.warning("wyoming.gateway_unavailable", error=str(exc))
            await self.write_event(NotRecognized(text="The gateway is not answering", context=request.context).event())
            return
        log.info("wyoming.recognized", status=result.status, actions=len(result.actions), text=request.text[:200])
        if result.status != "ok" or not result.actions:
            await self.write_event(NotRecognized(text=spoken(result, self.names), context=request.context).event())
            return
        intents = [intent_of(action, self.names) for action in result.actions]
        events = [Intent(name=i.name, entities=[Entity(k, v) for k, v in i.slots.items()], text=request.text,
                         context=request.context) for i in intents]
        if len(events) == 1:
            await self.write_event(events[0].event())
            return
        await self.write_event(IntentsStart(context=request.context).event())
        for intent in events:
            await self.write_event(intent.event())
        await self.write_event(IntentsStop(context=request.context).event())

    async def _handle(self, transcript: Transcript) -> None:
        try:
            result = await self.gateway.request(transcript.text)
        except GatewayUnavailable as exc:
            log.warning("wyoming.gateway_unavailable", error=str(exc))
            await self.write_event(NotHandled(text="The gateway is not answering", context=transcript.context).event())
            return
        answer = spoken(result, self.names)
        log.info("wyoming.handled", id=result.id, status=result.status, actions=len(result.actions), answer=answer)
        done = Handled if result.status == "ok" else NotHandled
        await self.write_event(done(text=answer, context=transcript.context).event())


async def serve(uri: str, gateway: GatewayClient, names: Names, info: Info, started: Callable[[AsyncServer], None] | None = None) -> None:
    """Serve until cancelled."""
    server = AsyncServer.from_uri(uri)
    log.info("wyoming.serving", uri=uri, command_topic=gateway.command_topic)
    handler = partial(NanoiotHandler, gateway, names, info)
    if started is None:
        await server.run(handler)
        return
    await server.start(handler)
    started(server)
    await asyncio.Event().wait()


class WyomingThread:
    """The service inside the gateway process (config `wyoming_uri`): its own loop, its own MQTT client."""

    def __init__(self, uri: str, gateway: GatewayClient, names: Names, info: Info) -> None:
        self.uri, self.gateway, self.names, self.info = uri, gateway, names, info
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._task: asyncio.Task | None = None
        self._server: AsyncServer | None = None
        self._thread = threading.Thread(target=self._run, name="nanoiot-wyoming", daemon=True)

    def start(self, timeout: float = 15.0) -> "WyomingThread":
        self.gateway.start(wait_s=0)  # the gateway's start() returns at once; the client connects in the background
        self._thread.start()
        self._ready.wait(timeout)
        return self

    def _started(self, server: AsyncServer) -> None:
        self._server = server
        self._ready.set()

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._task = self._loop.create_task(serve(self.uri, self.gateway, self.names, self.info, started=self._started))
        try:
            self._loop.run_until_complete(self._task)
        except asyncio.CancelledError:
            pass
        except OSError as exc:  # e.g. the port is taken: the gateway carries on without Wyoming
            log.error("wyoming.failed", uri=self.uri, error=str(exc))
            self._ready.set()
        finally:
            self._loop.close()

    def stop(self) -> None:
        if self._task is not None and self._thread.is_alive():
            async def shutdown() -> None:
                if self._server is not None:
                    await self._server.stop()
                assert self._task is not None
                self._task.cancel()

            asyncio.run_coroutine_threadsafe(shutdown(), self._loop)
            self._thread.join(5)
        self.gateway.close()


# --- command line ---------------------------------------------------------------------------
def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "wyoming", help="Wyoming intent/handle service for Home Assistant Assist and Rhasspy (docs/integrations.md)",
        description="Serve the Wyoming protocol; every sentence goes to the gateway as an MQTT command.")
    parser.add_argument("--uri", default="tcp://0.0.0.0:10700", help="where to listen (tcp://HOST:PORT, unix://PATH)")
    parser.add_argument("--config", type=Path, default=os.environ.get("NANOIOT_CONFIG") or None,
                        help="the gateway's TOML config (broker, site, registry for device names)")
    parser.add_argument("--broker", metavar="HOST:PORT", help="MQTT broker (default: the config's, else localhost:1883)")
    parser.add_argument("--site", help="the gateway's site (default: the config's, else the registry's, else 'home')")
    parser.add_argument("--registry", type=Path, help="registry file, for device names in answers")
    parser.add_argument("--source", default="wyoming", help="command source name the gateway sees (default wyoming)")
    parser.add_argument("--timeout", type=float, default=15.0, help="seconds to wait for the gateway's answer")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from nanoiot import logs
    from nanoiot.gateway.config import ConfigError, load_config
    from nanoiot.registry import RegistryError, default_registry_path, load_registry

    try:
        config = load_config(args.config, {"broker": args.broker, "site": args.site, "registry": args.registry})
        registry = load_registry(config.registry or default_registry_path())
    except (ConfigError, RegistryError) as exc:
        print(f"nanoiot wyoming: {exc}", file=sys.stderr)
        return 2
    logs.configure(config.log_format, config.log_level)
    site = config.site or registry.site or "home"
    gateway = GatewayClient(config, site, args.source, args.timeout).start()
    loop = asyncio.new_event_loop()
    task = loop.create_task(serve(args.uri, gateway, registry_names(registry), describe()))
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, task.cancel)
    try:
        loop.run_until_complete(task)
    except asyncio.CancelledError:
        pass
    except (OSError, ValueError) as exc:
        print(f"nanoiot wyoming: cannot serve {args.uri}: {exc}", file=sys.stderr)
        return 2
    finally:
        gateway.close()
        loop.close()
    return 0
