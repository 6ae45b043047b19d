"""The gateway: commands in over MQTT, the model in a worker thread, actions and results out.

    from nanoiot.gateway.config import load_config
    from nanoiot.gateway.service import Gateway
    gw = Gateway(load_config(overrides={"broker": "127.0.0.1:1883"})).start()
    gw.wait_ready(30)
    ...
    gw.stop()

Threads: the MQTT network loop (nanoiot.gateway.mqtt) only queues commands and caches
device states; one inference worker takes up to `max_batch_size` queued commands at
once, runs `parse_batch`, publishes device messages (QoS 1) and waits for the broker to
take them, records the ids, publishes the results, and only then acknowledges the
commands. A gateway killed at any point therefore loses nothing (unacknowledged
commands are redelivered) and a redelivered command is answered from the record
instead of actuating again.

The data path reads top to bottom in `Gateway._handle`: decode (inbound) -> classify
(errors, repeats from the record, confirmations; record) -> model -> screen and device
messages (guard, payloads) -> plan (record) -> deliver and wait (outbox) -> record -> answer (outbox) -> ack.
Each job lives in its own module; this class wires them and owns the two threads.
"""

from __future__ import annotations

import ctypes
import queue
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import paho.mqtt.client as mqtt
import structlog
from paho.mqtt.subscribeoptions import SubscribeOptions

from nanoiot.registry import Registry, default_registry_path, load_registry
from nanoiot.schema import CommandResult, ErrorInfo, ParseResult
from nanoiot.sdnotify import SystemdNotifier

from .batcher import Batcher
from .config import GatewayConfig, read_password
from .dedup import ResultLog
from .diagnosis import diagnose, load_diagnostics
from .guard import Guard
from .inbound import Command, Received, Rejected, decode
from .later import Later
from .mqtt import MqttLink, new_client
from .outbox import Outbox, error_result
from .payloads import Outbound, PayloadError, availability, device_messages
from .probe import BrokerProbe
from .ratelimit import RateLimiter
from .record import CommandRecord
from .schedule import ScheduleError
from .states import StateCache
from .stats import Stats
from .topics import Topics
from .watchdog import watch

log = structlog.get_logger()

QUERY = "query.get_state"


@dataclass
class _Item:
    """One received message on its way through a batch."""

    msg: Received
    decoded: Command | Rejected
    result: CommandResult | None = None
    outbound: list[Outbound] = field(default_factory=list)
    same_as: int | None = None  # index of an earlier item in the batch that is the same command
    repeat: bool = False  # answered from the record of recent commands
    record: bool = False  # store the result under the command's keys once the actions are out
    replayed: bool = False  # the planned messages of a gateway that died before recording them, sent again


class Gateway:
    """One gateway process's worth of state; `start()`, `wait_ready()`, `stop()`."""

    def __init__(
        self,
        config: GatewayConfig,
        parser: Any | None = None,
        registry: Registry | None = None,
        notifier: SystemdNotifier | None = None,
        diagnostics: Any | None = None,
    ) -> None:
        self.config = config
        self.diagnostics = diagnostics  # a DiagnosticService; loaded in start() when None and enabled
        self.registry = registry or load_registry(config.registry or default_registry_path())
        self.guard = Guard(config, self.registry)
        self.rate_limiter = RateLimiter(config.rate_limit)
        site = config.site or self.registry.site or "home"
        self.topics = Topics(
            prefix=config.topic_prefix,
            site=site,
            gateway_id=config.gateway_id,
            zigbee2mqtt_base=config.zigbee2mqtt_base,
            shared_group=config.shared_group,
            reply_filters=tuple(config.reply_topics or ()),
        )
        self.parser = parser
        self.states = StateCache(self.registry, self.topics)
        limits = config.limits
        self.results = ResultLog(limits.dedup_size, limits.dedup_ttl_s, journal_path(config), shared=config.shared_group is not None)
        self.record = CommandRecord(self.results)
        self.later = Later(config)  # commands for later and for a while, kept on disk where there is a state_dir
        self.schedule = self.later.schedule
        # Unbounded as a queue: the bound is ours (`queue_size`), past it a command is answered
        # `overloaded` rather than dropped. Receive Maximum cannot be trusted to bound it (Mosquitto
        # 2.0.11 keeps to it for the first window only).
        self._queue: queue.Queue[Received] = queue.Queue()
        self.batcher = Batcher(self._queue, limits.max_batch_size, limits.batch_wait_ms / 1000, lambda msg: msg.received)
        self.notifier = notifier or SystemdNotifier()
        self.link = MqttLink(
            config,
            subscriptions=self._subscriptions,
            on_message=self._on_message,
            will=(self.topics.availability, availability("offline")),
            password=read_password(config),
            on_ready=self._on_ready,
            on_lost=lambda reason: self.notifier.status(f"broker connection lost ({reason}); reconnecting"),
            on_unreachable=self._tell_unreachable,
        )
        password = read_password(config)
        self.probe = BrokerProbe(f"{self.topics.base}/gateway/{config.gateway_id}/probe",
                                 lambda: new_client(config, f"{config.client_id}-probe", password),
                                 config.broker.host, config.broker.port)
        self.stats = Stats()  # written from the network thread and the worker
        self.worker_heartbeat = time.monotonic()
        self._accepting = threading.Event()
        self._abandon = threading.Event()  # shutdown timed out: stop waiting on the broker
        self.outbox = Outbox(self.link, self._abandon, self._beat)
        self._worker_stop = threading.Event()
        self._last_status = 0.0
        self._ready = threading.Event()
        self._stopped = threading.Event()
        self._worker = threading.Thread(target=self._work, name="nanoiot-inference", daemon=True)
        from nanoiot.integrations.wiring import Integrations  # Home Assistant, Zigbee2MQTT, Wyoming

        self.integrations = Integrations(self)
        self._watchdog = threading.Thread(target=watch, name="nanoiot-watchdog", daemon=True,
                                          args=(self._stopped, self.notifier, self.healthy, self._unhealthy))

    # --- lifecycle -------------------------------------------------------------
    def start(self) -> "Gateway":
        """Load the model (if not given), then connect; returns at once, see wait_ready()."""
        broker = self.config.broker
        self.notifier.status("loading model")
        if self.parser is None:
            from nanoiot.parser import CommandParser

            self.parser = CommandParser.load(self.registry, self.config.model_dir, self.config.limits.model_workers)
        if hasattr(self.parser, "outputs"):
            self.parser.outputs.resize(self.config.limits.model_cache_size)
            self.parser.parsed.resize(self.config.limits.parse_cache_size)
        if self.diagnostics is None and self.config.diagnostics_enabled:
            self.notifier.status("loading diagnostic model")
            self.diagnostics = load_diagnostics(self.config)
        _return_freed_memory()
        log.info("gateway.starting", gateway_id=self.config.gateway_id, site=self.topics.site,
                 broker=f"{broker.host}:{broker.port}", client_id=self.config.client_id,
                 subscribe=self.topics.command_filter, devices=len(self.registry.devices),
                 model=self.parser.model_info.version,
                 diagnostics=self.topics.diagnostic_filter if self.diagnostics is not None else None)
        self.notifier.status(f"connecting to {broker.host}:{broker.port}")
        self._accepting.set()
        self._worker.start()
        self.link.start()
        self._watchdog.start()
        self.integrations.start()
        return self

    def wait_ready(self, timeout: float | None = None) -> bool:
        """True once connected, subscribed and announced online."""
        return self._ready.wait(timeout)

    def healthy(self) -> bool:
        """Both loops alive and beating recently: what the systemd watchdog pings for."""
        stall = self.config.limits.stall_after_s
        now = time.monotonic()
        return (
            self.link.alive
            and self._worker.is_alive()
            and now - self.link.heartbeat < stall
            and now - self.worker_heartbeat < stall
        )

    def stop(self, timeout: float | None = None) -> None:
        """Graceful: stop taking commands, finish the queued ones, publish offline, disconnect."""
        if self._stopped.is_set():
            return
        self.notifier.stopping("finishing queued commands")
        self._accepting.clear()
        deadline = time.monotonic() + (self.config.limits.shutdown_timeout_s if timeout is None else timeout)
        # unfinished_tasks counts queued commands and those in the batch being handled, so a batch
        # just taken off the queue is waited for too
        while self._queue.unfinished_tasks and time.monotonic() < deadline and self._worker.is_alive():
            time.sleep(0.01)
        left = self._queue.unfinished_tasks
        self._abandon.set()
        self._worker_stop.set()
        if self._worker.is_alive():
            self._worker.join(max(0.5, deadline - time.monotonic()))
        self.link.close(final=(self.topics.availability, availability("offline")))
        self.results.close()
        self.integrations.stop()
        self._stopped.set()
        log.info("gateway.stopped", handled=self.stats["handled"], left_unacknowledged=left, batches=self.batcher.figures(),
                 model_cache=self.parser.outputs.figures() if hasattr(self.parser, "outputs") else None,
                 parse_cache=self.parser.parsed.figures() if hasattr(self.parser, "parsed") else None,
                 for_later=len(self.schedule))
        if len(self.schedule) and not self.schedule.durable:
            log.warning("schedule.lost", commands=len(self.schedule), reason="no state_dir: commands for later lived in memory only")

    def status_line(self) -> str:
        """The systemd STATUS= line: what a person checking the service should know."""
        line = f"ready: site {self.topics.site}, {self.stats['handled']} commands handled"
        if len(self.schedule):
            line += f", {len(self.schedule)} for later"
        cache = getattr(self.parser, "outputs", None)
        if cache is not None and cache.hits + cache.misses:
            line += f", {cache.hit_rate:.0%} from the model cache"
        return line + (f"; DEGRADED: {self.results.problem}" if self.results.problem else "")

    def run_until(self, stop: threading.Event) -> int:
        """Run until `stop` is set (the CLI sets it on SIGTERM/SIGINT); 1 if a thread died."""
        self.start()
        code = 0
        while not stop.wait(1.0):
            if not (self._worker.is_alive() and self.link.alive):
                log.error("gateway.thread_died", worker=self._worker.is_alive(), mqtt=self.link.alive)
                code = 1
                break
        self.stop()
        return code

    # --- network thread ----------------------------------------------------------
    def _subscriptions(self) -> list[tuple[str, SubscribeOptions]]:
        """Commands QoS 1 with the retain flag as published (so a retained command is refused, live or
        replayed); device states QoS 0, retained ones arriving at once."""
        commands = (self.topics.command_filter, SubscribeOptions(qos=1, retainAsPublished=True))
        diagnostic = [(self.topics.diagnostic_filter, SubscribeOptions(qos=1))] if self.diagnostics is not None else []
        probe = (self.probe.topic, SubscribeOptions(qos=1))
        states = [(t, SubscribeOptions(qos=0)) for t in self.states.topics]
        return [commands] + diagnostic + [probe] + states + self.integrations.subscriptions()

    def _on_ready(self) -> None:
        self.link.publish(self.topics.availability, availability("online"), qos=1, retain=True)
        self.integrations.announce()
        first = not self._ready.is_set()
        self._ready.set()
        status = self.status_line()
        if first:
            self.notifier.ready(status)
            log.info("gateway.ready", topic=self.topics.command_filter)
            self.probe.start()
        else:
            self.notifier.status(status)

    def _tell_unreachable(self, error: str) -> None:
        """On a terminal, say once in plain words what the gateway is waiting for (the log says it as events)."""
        if sys.stderr.isatty():
            broker = self.config.broker
            print(f"nanoiot gateway: waiting for the MQTT broker at {broker.host}:{broker.port} ({error}); retrying every "
                  f"{broker.reconnect_min_s:g} to {broker.reconnect_max_s:g} s. Is the broker running there? "
                  "Set --broker HOST:PORT or [broker] in the config to point at it.", file=sys.stderr, flush=True)

    def _on_message(self, message: mqtt.MQTTMessage) -> None:
        if self.states.handles(message.topic):
            self.states.update(message.topic, message.payload)
            return
        if self.probe.handles(message.topic):  # the start-up probe's ping, answered as a result would be
            self.link.publish(self.probe.echo_topic, message.payload, qos=1)
            self.link.ack(message.mid, message.qos, self.link.epoch)
            return
        if self.integrations.handles(message.topic):
            self.integrations.on_message(message.topic, bytes(message.payload))  # registry imports: parse, no model
            return
        if not self._accepting.is_set():
            return  # shutting down: left unacknowledged, the broker redelivers it to our next session
        props = message.properties
        response = getattr(props, "ResponseTopic", None) if props else None
        correlation = getattr(props, "CorrelationData", None) if props else None
        item = Received(
            topic=message.topic,
            payload=bytes(message.payload),
            qos=message.qos,
            mid=message.mid,
            retain=bool(message.retain),
            dup=bool(message.dup),
            response_topic=response,
            correlation_data=bytes(correlation) if correlation is not None else None,
            received=time.monotonic(),
            epoch=self.link.epoch,
        )
        waiting = self._queue.qsize()
        source = self.topics.source_of(message.topic)
        if source is not None and not self.rate_limiter.allow(source):  # before the queue: a flood never delays others
            self._refuse(item, "rate_limited", "this source sends commands faster than its limit; retry in a moment")
        elif waiting >= self.config.limits.queue_size:
            self._refuse(item, "overloaded", f"{waiting} commands are waiting; retry in a moment", waiting=waiting)
        else:
            self._queue.put_nowait(item)

    def _refuse(self, msg: Received, code: str, message: str, **fields: Any) -> None:
        """Answered at once on the network thread (the sender may retry), never dropped: `overloaded`, `rate_limited`."""
        self.stats.incr(f"error.{code}")
        if self.topics.is_diagnostic_topic(msg.topic):
            log.warning("diagnosis.refused", reason=code, topic=msg.topic[:200], **fields)
        else:
            decoded = self._decode(msg)
            log.warning("command.refused", code=code, id=decoded.id, source=decoded.source, **fields)
            self.outbox.answer(decoded, self._error(code, message, decoded.id, decoded.source, msg))
        self.link.ack(msg.mid, msg.qos, msg.epoch)

    # --- inference worker ---------------------------------------------------------
    def _work(self) -> None:
        while True:
            self.worker_heartbeat = time.monotonic()
            self._swap_registry()  # between batches, never mid-batch
            self.later.send_due(self.outbox, self.registry, self.stats)
            batch = self.batcher.next(timeout=0.5)
            if not batch:
                if self._worker_stop.is_set():
                    return
                continue
            try:
                self._handle(batch)
            except Exception:  # noqa: BLE001 - a bug must cost one batch, not the gateway
                log.exception("worker.batch_failed", size=len(batch))
                self._fail_batch(batch)
            finally:
                for _ in batch:
                    self._queue.task_done()

    def _decode(self, msg: Received) -> Command | Rejected:
        """`decode` never raises by design; if a bug makes it, the message is still answered."""
        try:
            return decode(msg, self.topics, self.config.limits.max_payload_bytes)
        except Exception:  # noqa: BLE001
            log.exception("command.decode_failed", topic=msg.topic[:200], bytes=len(msg.payload))
            source = self.topics.source_of(msg.topic) or ""
            return Rejected("internal_error", "the gateway could not read this command; see its log", source,
                            self.topics.result(source) if source else None, msg.correlation_data)

    def _handle(self, batch: list[Received]) -> None:
        reports = [msg for msg in batch if self.topics.is_diagnostic_topic(msg.topic)]
        if reports:
            try:
                self._diagnose(reports)  # acknowledges them once their answers are out
            except Exception:  # noqa: BLE001 - a bug costs these reports an answer, never the commands
                log.exception("diagnosis.batch_failed", size=len(reports))
                for msg in reports:
                    self.link.ack(msg.mid, msg.qos, msg.epoch)
            batch = [msg for msg in batch if not self.topics.is_diagnostic_topic(msg.topic)]
            if not batch:
                return
        items = [_Item(msg, self._decode(msg)) for msg in batch]
        fresh = self._classify_batch(items)
        self._parse(items, fresh)
        self.record.intend([(item.decoded, item.result, item.outbound) for item in items  # type: ignore[misc]
                            if item.record and item.outbound and item.result is not None and not item.replayed])
        published = self.outbox.deliver([o for item in items for o in item.outbound])
        if not published:
            log.warning("worker.abandoned", size=len(items), reason="broker did not confirm the device messages before shutdown")
            return  # unacknowledged: redelivered to our next session, answered from the record if it got that far
        for item in items:
            if item.result is not None and not item.repeat:
                item.result.latency_ms = round((time.monotonic() - item.msg.received) * 1000, 3)
            if item.record and item.result is not None:
                assert isinstance(item.decoded, Command)
                self.record.remember(item.decoded, item.msg, item.result.model_dump(mode="json"))
        for item in items:
            original = items[item.same_as].result if item.same_as is not None else None
            if original is not None:
                item.result = original.model_copy()
        for item in items:
            try:
                self._reply(item)
            except Exception:  # noqa: BLE001 - one reply that cannot be sent must not hold back the others' acks
                log.exception("worker.reply_failed", id=item.result.id if item.result else None)
        for item in items:
            self.link.ack(item.msg.mid, item.msg.qos, item.msg.epoch)
        self.integrations.after_batch([item.result for item in items if item.result is not None and item.same_as is None])
        self.worker_heartbeat = time.monotonic()
        if self.worker_heartbeat - self._last_status > 1.0:
            self._last_status = self.worker_heartbeat
            self.notifier.status(self.status_line())

    def _classify_batch(self, items: list[_Item]) -> list[int]:
        """Errors answered as they are, repeats from the record, the rest to the model (indices returned)."""
        self.results.refresh()  # what the other workers of a shared journal did meanwhile
        fresh: list[int] = []
        seen: dict[tuple[tuple[str, str], str], int] = {}  # (key, text) -> first item in this batch with them
        for index, item in enumerate(items):
            try:
                if self._classify(item, index, seen):
                    fresh.append(index)
            except Exception:  # noqa: BLE001 - a bug costs this command an answer, not its batch
                log.exception("command.classify_failed", topic=item.msg.topic[:200])
                item.result = self._error("internal_error", "the gateway failed on this command; see its log",
                                          getattr(item.decoded, "id", None), item.decoded.source, item.msg)
                item.record = False
        return fresh

    def _classify(self, item: _Item, index: int, seen: dict[tuple[tuple[str, str], str], int]) -> bool:
        """True when `item` is a new command for the model; else its answer is settled here."""
        cmd, msg = item.decoded, item.msg
        if isinstance(cmd, Rejected):
            item.result = self._error(cmd.code, cmd.message, cmd.id, cmd.source, msg)
            log.info("command.rejected", code=cmd.code, reason=cmd.message, id=cmd.id, source=cmd.source,
                     topic=msg.topic[:200], bytes=len(msg.payload))
            self.stats.incr(f"error.{cmd.code}")
            return False
        keys = self.record.keys(cmd, msg)
        earlier = next((seen[(k, cmd.text)] for k in keys if (k, cmd.text) in seen), None)
        if earlier is not None:
            item.same_as = earlier
            return False
        previous = self.record.previous(cmd, msg)
        planned = self.record.replay(previous) if previous is not None else None
        if previous is not None and planned is not None:  # its gateway died with the messages maybe out: the same again
            item.result = CommandResult.model_validate(previous)
            item.outbound, item.record, item.replayed = planned, True, True
            self.stats.incr("replays")
            log.warning("command.replayed", id=cmd.id, source=cmd.source, messages=len(planned),
                        not_repeated=previous.get("not_repeatable", 0), redelivered=msg.dup)
            return False
        if previous is not None:
            item.result = CommandResult.model_validate(previous)
            item.repeat = True
            self.stats.incr("repeats")
            log.info("command.repeated", id=cmd.id, source=cmd.source, redelivered=msg.dup)
            return False
        for key in keys:
            seen[(key, cmd.text)] = index
        item.record = not cmd.dry_run  # a dry run's id stays free for the real command
        return cmd.dry_run or not (self._confirming(item) or self._cancelling(item))  # a dry run never uses up a held confirmation

    def _confirming(self, item: _Item) -> bool:
        """True when `item` confirms a held dangerous action ("yes", its token): settled here, without the model."""
        cmd = item.decoded
        assert isinstance(cmd, Command)
        outcome = self.guard.confirmation(cmd.source, cmd.text, cmd.confirm)
        if outcome is None:
            return False
        held = outcome.pending
        if held is None:
            self.stats.incr(f"error.{outcome.code}")
            log.warning("command.refused", code=outcome.code, reason=outcome.message, id=cmd.id, source=cmd.source)
            item.result = CommandResult(status="rejected", error=ErrorInfo(code=outcome.code or "", message=outcome.message or ""),
                                        model=self.parser.model_info, id=cmd.id, source=cmd.source, latency_ms=0.0)  # type: ignore[union-attr]
            return True
        log.warning("confirm.used", id=cmd.id, source=cmd.source, confirms=held.command_id, action=held.words)
        result = ParseResult(status="ok", actions=held.actions, model=self.parser.model_info, lasting=held.lasting)  # type: ignore[union-attr]
        self._actions(item, result, held.command_id or cmd.id, screen=False)
        return True

    def _cancelling(self, item: _Item) -> bool:
        """True when `item` is "cancel that" from a source with commands for later waiting: they are dropped, no model."""
        cmd = item.decoded
        assert isinstance(cmd, Command)
        try:
            gone = self.later.cancel(cmd)
        except ScheduleError as exc:
            item.result = CommandResult(status="error", error=ErrorInfo(code=exc.code, message=str(exc)), model=self.parser.model_info,  # type: ignore[union-attr]
                                        id=cmd.id, source=cmd.source, latency_ms=0.0)
            return True
        if gone is not None:
            item.result = CommandResult(status="ok", model=self.parser.model_info, id=cmd.id, source=cmd.source,  # type: ignore[union-attr]
                                        latency_ms=0.0, cancelled=gone)
        return gone is not None

    def _area(self, source: str) -> str | None:
        """Where `source` stands: the config's sources, then the registry's, then a device of that id."""
        return self.registry.source_area(source, self.config.sources)

    def _parse(self, items: list[_Item], fresh: list[int]) -> None:
        if not fresh:
            return
        commands: list[Command] = [items[i].decoded for i in fresh]  # type: ignore[misc]
        for index, result in zip(fresh, self._model(commands)):
            item = items[index]
            try:
                self._actions(item, result)
            except Exception:  # noqa: BLE001 - a bug costs this command its answer, not the batch's
                log.exception("command.actions_failed", id=getattr(item.decoded, "id", None))
                item.outbound, item.record = [], False
                item.result = self._error("internal_error", "the gateway failed on this command; see its log",
                                          items[index].decoded.id, items[index].decoded.source, item.msg)

    def _model(self, commands: list[Command]) -> list[ParseResult]:
        """One model call for the batch; if it fails, each command alone, so a failure costs only its own."""
        texts, areas = [c.text for c in commands], [self._area(c.source) for c in commands]
        try:
            return self.parser.parse_batch(texts, areas, self.config.site_wide, self.states.setpoint)  # type: ignore[union-attr]
        except Exception:  # noqa: BLE001 - the model failing is an answer, not a crash
            log.exception("model.batch_failed", size=len(commands))
        results = []
        for text, area in zip(texts, areas):
            try:
                results.append(self.parser.parse(text, area, self.config.site_wide, self.states.setpoint))  # type: ignore[union-attr]
            except Exception as exc:  # noqa: BLE001
                log.exception("model.failed", text=text[:200])
                results.append(ParseResult(status="error", model=self.parser.model_info,  # type: ignore[union-attr]
                                           error=ErrorInfo(code="internal_error", message=f"model failed: {type(exc).__name__}")))
        return results

    def _actions(self, item: _Item, result: ParseResult, device_id: str | None = None, screen: bool = True) -> None:
        """The device messages (or state answers) for one parsed command, and its result."""
        cmd = item.decoded
        assert isinstance(cmd, Command)
        if result.status == "error":
            item.record = False  # a retry with the same id deserves another go
        confirmation = None
        if screen and not cmd.dry_run:  # permissions, then confirmation: whatever the sentence said, only here do actions pass
            screened = self.guard.screen(cmd.source, cmd.id, result)
            result, confirmation = screened.result, screened.confirmation
            if screened.refused:
                self.stats.incr(f"error.{screened.refused}")
                log.warning("command.refused", code=screened.refused, reason=result.error.message if result.error else None,
                            id=cmd.id, source=cmd.source, text=cmd.text[:200])
        states: dict[str, dict | None] | None = None
        outbound: list[Outbound] = []
        try:
            for action in result.actions if result.status == "ok" else []:
                if action.service == QUERY:
                    states = states or {}
                    states.update({target: self.states.get(target) for target in action.targets})
                else:
                    outbound += device_messages(action, device_id or cmd.id, self.registry, self.topics)
        except PayloadError as exc:
            result = ParseResult(status="rejected" if exc.code == "unsupported" else "error", actions=result.actions,
                                 model=result.model, error=ErrorInfo(code=exc.code, message=str(exc)))
            outbound, states = [], None
        scheduled_for = until = None
        if result.status == "ok" and (result.when or result.lasting):  # "in 30 minutes", "for 10 minutes": kept for later
            try:
                scheduled_for, until = self.later.keep(cmd, result, outbound, self.registry, self.topics)
            except ScheduleError as exc:
                self.stats.incr(f"error.{exc.code}")
                log.warning("command.refused", code=exc.code, reason=str(exc), id=cmd.id, source=cmd.source)
                result = ParseResult(status="error" if exc.code == "schedule_failed" else "rejected", model=result.model,
                                     error=ErrorInfo(code=exc.code, message=str(exc)))
                outbound = []
            if result.when is not None:
                outbound = []  # sent at its moment
        item.outbound = [] if cmd.dry_run else outbound  # resolved and checked, published only for real
        item.result = CommandResult(**result.model_dump(), id=cmd.id, source=cmd.source, latency_ms=0.0, states=states,
                                    confirmation=confirmation, scheduled_for=scheduled_for, until=until)

    def _swap_registry(self) -> None:
        """Take an imported registry change (Zigbee2MQTT, Home Assistant discovery): only ever between batches."""
        registry = self.integrations.take_registry()
        if registry is None:
            return
        old_topics = set(self.states.topics)
        try:
            parser = type(self.parser)(self.parser.engine, registry)  # type: ignore[union-attr,call-arg]  # the loaded engine, a new resolver
            parser.outputs = self.parser.outputs  # the model's answers stand: its input has placeholders, not names
            parser.parsed.resize(self.parser.parsed.size)  # whole parses do not: they name devices
            self.parser = parser
        except Exception:  # noqa: BLE001 - an import the parser cannot take must not stop the commands
            log.exception("registry.swap_failed", devices=len(registry.devices))
            return
        self.registry = registry
        self.guard.use(registry)
        self.states = self.states.rebuilt(registry, self.topics)
        new_topics = sorted(set(self.states.topics) - old_topics)
        gone_topics = sorted(old_topics - set(self.states.topics))  # else their messages would be taken for commands
        if self.link.connected.is_set():
            if new_topics:
                self.link.client.subscribe([(t, SubscribeOptions(qos=0)) for t in new_topics])
            if gone_topics:
                self.link.client.unsubscribe(gone_topics)
        log.info("registry.swapped", devices=len(registry.devices), new_state_topics=len(new_topics),
                 dropped_state_topics=len(gone_topics))

    def _diagnose(self, reports: list[Received]) -> None:
        """One model batch of diagnostic reports; acknowledged once their answers and automatic actions are out."""
        if not self.outbox.deliver(diagnose(reports, self.diagnostics, self.topics, self.registry, self.stats)):
            log.warning("worker.abandoned", size=len(reports), reason="broker did not confirm the diagnoses before shutdown")
            return  # unacknowledged: redelivered to our next session
        for msg in reports:
            self.link.ack(msg.mid, msg.qos, msg.epoch)

    def _reply(self, item: _Item) -> None:
        decoded = item.decoded
        result = item.result
        if result is None:
            return
        if item.same_as is None and not item.repeat and isinstance(decoded, Command):
            self.stats.incr("handled")
            log.info("command.handled", id=result.id, source=result.source, status=result.status,
                     code=result.error.code if result.error else None, actions=len(result.actions),
                     devices=len(item.outbound), latency_ms=result.latency_ms, text=decoded.text[:200])
        self.outbox.answer(decoded, result)

    def _error(self, code: str, message: str, command_id: str | None, source: str, msg: Received) -> CommandResult:
        return error_result(code, message, command_id, source, msg, self.parser.model_info)  # type: ignore[union-attr]

    def _fail_batch(self, batch: list[Received]) -> None:
        """After an unexpected error: answer what can be answered and acknowledge, so no slot leaks."""
        for msg in batch:
            try:
                if self.topics.is_diagnostic_topic(msg.topic):
                    continue  # _handle's diagnostic step acknowledges its reports itself, whatever happens there
                decoded = self._decode(msg)
                self.outbox.answer(decoded, self._error("internal_error", "the gateway failed on this command; see its log",
                                                        decoded.id, decoded.source, msg))
            except Exception:  # noqa: BLE001
                log.exception("worker.answer_failed")
            self.link.ack(msg.mid, msg.qos, msg.epoch)

    def _beat(self) -> None:
        self.worker_heartbeat = time.monotonic()

    def _unhealthy(self) -> dict[str, Any]:
        """What the watchdog logs when it stops pinging."""
        now = time.monotonic()
        return {"mqtt_alive": self.link.alive, "worker_alive": self._worker.is_alive(),
                "mqtt_idle_s": round(now - self.link.heartbeat, 1), "worker_idle_s": round(now - self.worker_heartbeat, 1)}


def _return_freed_memory() -> None:
    """Hand the heap that loading the models freed back to the system (glibc keeps it otherwise: ~8 MiB of
    the command model's reading buffers stay resident for the life of the process). Once, at start: after
    every batch it costs throughput (docs/performance.md)."""
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


def journal_path(config: GatewayConfig) -> Path | None:
    """Where the record of recent command ids survives restarts (None: memory only).

    The gateways of a shared-subscription group share one, where they share a state directory:
    a sender's retry that the broker hands to another worker is answered, not actuated again.
    """
    if not config.state_dir:
        return None
    owner = f"group-{config.shared_group}" if config.shared_group else config.gateway_id
    return config.state_dir / f"{owner}.recent.jsonl"
