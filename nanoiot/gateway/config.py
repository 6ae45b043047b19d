"""Gateway settings: defaults < TOML file < NANOIOT_* environment < command-line flags.

pydantic-settings reads and merges the layers and one model validates the result, so a
bad value fails at start-up with the dotted field name and the layer it came from,
instead of deep inside a thread.

Environment: `NANOIOT_<FIELD>` for top-level fields, `NANOIOT_<SECTION>__<FIELD>` for
nested ones (`NANOIOT_BROKER__PORT=8883`, `NANOIOT_LIMITS__MAX_BATCH_SIZE=16`,
`NANOIOT_SOURCES__KITCHEN_PANEL=kitchen`); a table or a list may be given as JSON.
`NANOIOT_BROKER=host:port` is a shorthand, like `--broker`. Other `NANOIOT_*`
variables (e.g. `NANOIOT_TEST_BROKER`) are not settings and are left alone.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal, Mapping
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic.fields import FieldInfo
from pydantic_settings import (BaseSettings, EnvSettingsSource, InitSettingsSource, PydanticBaseSettingsSource, SettingsConfigDict,
                               SettingsError, TomlConfigSettingsSource)

from nanoiot.contract import split_address
from .confirm import ConfirmConfig
from .permissions import PermissionsConfig
from .ratelimit import RateLimitConfig

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

NAME = r"^[A-Za-z0-9_.-]+$"  # one topic level: no '/', '+', '#'
PREFIX = r"^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$"
ENV_PREFIX = "NANOIOT_"


class ConfigError(ValueError):
    """The configuration cannot be used; the message names the field and its origin."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TLSConfig(_Section):
    """TLS to the broker; a server certificate is always verified against `ca_file` (or the system store)."""

    ca_file: Path | None = Field(default=None, description="CA bundle that signed the broker's certificate")
    cert_file: Path | None = Field(default=None, description="client certificate (mutual TLS)")
    key_file: Path | None = Field(default=None, description="client private key")

    @model_validator(mode="after")
    def _pair(self) -> "TLSConfig":
        if (self.cert_file is None) != (self.key_file is None):
            raise ValueError("cert_file and key_file go together")
        return self


class BrokerConfig(_Section):
    host: str = Field(default="localhost", min_length=1)
    port: int = Field(default=1883, ge=1, le=65535)
    tls: TLSConfig | None = Field(default=None, description="set (even empty) to connect with TLS")
    username: str | None = None
    password_file: Path | None = Field(default=None, description="file holding the password (kept out of the config)")
    client_id: str | None = Field(default=None, description="default nanoiot-gateway-<gateway_id>; fixed, so the session persists")
    keepalive_s: int = Field(default=30, ge=5, le=3600)
    session_expiry_s: int = Field(default=86400, ge=0, description="how long the broker keeps our session (and queues commands) while we are away")
    reconnect_min_s: float = Field(default=0.5, gt=0)
    reconnect_max_s: float = Field(default=30.0, gt=0)

    @model_validator(mode="after")
    def _backoff(self) -> "BrokerConfig":
        if self.reconnect_max_s < self.reconnect_min_s:
            raise ValueError("reconnect_max_s must be >= reconnect_min_s")
        return self


class LimitsConfig(_Section):
    max_payload_bytes: int = Field(default=4096, ge=64, description="larger commands get error too_large")
    max_batch_size: int = Field(default=32, ge=1, le=1024, description="commands the model takes at once")
    batch_wait_ms: float = Field(default=2.0, ge=0, le=100, description="while commands keep arriving, wait at most this long "
                                 "for more to fill a batch (never when one arrives alone); 0: take what is queued")
    model_workers: int = Field(default_factory=lambda: min(2, os.cpu_count() or 1), ge=1, le=16,
                               description="model replicas sharing a batch, one core each (weights shared); "
                               "default 2 where there are 2 cores or more")
    model_cache_size: int = Field(default=4096, ge=0, description="distinct model inputs whose outputs are kept (exact; 0: off)")
    parse_cache_size: int = Field(default=1024, ge=0, description="distinct (sentence, source area) whose whole parse is kept "
                                  "(exact; 0: off)")
    receive_maximum: int = Field(default=100, ge=1, le=65535, description="unacknowledged commands the broker may send us at once")
    max_inflight: int = Field(default=100, ge=1, le=65535, description="our unacknowledged QoS 1 publishes")
    queue_size: int = Field(default=10000, ge=1, description="received commands waiting for the model; past it a command is "
                            "answered `overloaded`, never dropped (each waiting command holds its payload + ~0.3 KB)")
    dedup_size: int = Field(default=10000, ge=1, description="recent command ids remembered")
    dedup_ttl_s: float = Field(default=600.0, gt=0, description="how long a command id is remembered")
    stall_after_s: float = Field(default=30.0, gt=0, description="no heartbeat for this long = unhealthy (no WATCHDOG=1)")
    shutdown_timeout_s: float = Field(default=10.0, ge=0, description="time to finish queued commands on SIGTERM")
    max_scheduled: int = Field(default=1000, ge=0, description="commands for later ('in 30 minutes', 'at 6 am') kept at once; "
                               "past it one is refused `overloaded`; 0: every command for later is refused")
    max_schedule_ahead_s: float = Field(default=172800.0, gt=0, description="how far ahead a command may be for (48 h)")
    schedule_grace_s: float = Field(default=900.0, ge=0, description="a command for later whose time passed while the gateway "
                                    "was down is still sent up to this late, else dropped with a warning")


class GatewayConfig(BaseSettings):
    """Built only by load_config, which hands pydantic-settings its layers."""

    model_config = SettingsConfigDict(extra="forbid", frozen=True)

    gateway_id: str = Field(default="gw1", pattern=NAME, max_length=64)
    site: str | None = Field(default=None, pattern=NAME, max_length=64, description="default: the registry's site, else 'home'")
    topic_prefix: str = Field(default="nanoiot", pattern=PREFIX)
    zigbee2mqtt_base: str = Field(default="zigbee2mqtt", pattern=PREFIX)
    registry: Path | None = Field(default=None, description="device registry (JSON/YAML); default: the shipped example")
    model_dir: Path | None = Field(default=None, description="model directory; default: the shipped model")
    shared_group: str | None = Field(default=None, pattern=NAME, description="subscribe as $share/<group>/... to split load between gateways")
    state_dir: Path | None = Field(default=None, description="where the recent-id journal lives, so a restart does not actuate a redelivered command twice")
    reply_topics: list[str] | None = Field(
        default=None, description="topic filters a reply_to/response_topic must match; default <prefix>/<site>/reply/# and <prefix>/<site>/result/#"
    )
    timezone: str | None = Field(default=None, description="IANA time zone of 'at 6 am' (e.g. Europe/Berlin); default: the system's")
    sources: dict[str, str] = Field(default_factory=dict, description="command source -> area, used when a sentence names no area; "
                                    "wins over the registry's `sources`")
    site_wide: bool = Field(default=False, description="a command from a source placed nowhere that names no area ('turn off the "
                            "lights' from a phone) acts on the whole site; default: refused as ambiguous_target, listing the areas")
    diagnostics_enabled: bool = Field(default=True, description="answer diagnostic reports on <prefix>/<site>/diagnostic/<device>")
    policy_path: Path | None = Field(default=None, description="site policy for automatic diagnostic actions; default: none automatic")
    diagnostics_model_dir: Path | None = Field(default=None, description="diagnostic model directory; default: the shipped one")
    wyoming_uri: str | None = Field(default=None, pattern=r"^(tcp|unix)://.+",
                                    description="also serve the Wyoming protocol here, e.g. tcp://0.0.0.0:10700 (docs/integrations.md)")
    discovery_prefix: str = Field(default="homeassistant", pattern=PREFIX, description="Home Assistant MQTT discovery prefix")
    announce_discovery: bool = Field(default=True, description="announce the gateway to Home Assistant (retained discovery configs)")
    import_homeassistant: bool = Field(default=True, description="add devices announced by MQTT discovery to the registry, live")
    import_zigbee2mqtt: bool = Field(default=True, description="add devices from <zigbee2mqtt_base>/bridge/devices to the registry, live")
    log_format: Literal["auto", "json", "console"] = "auto"
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    broker: BrokerConfig = Field(default_factory=BrokerConfig)
    limits: LimitsConfig = Field(default_factory=LimitsConfig)
    permissions: PermissionsConfig = Field(default_factory=PermissionsConfig, description="who may command what (docs/security.md)")
    confirm: ConfirmConfig = Field(default_factory=ConfirmConfig, description="dangerous actions the same source must confirm")
    rate_limit: RateLimitConfig = Field(default_factory=RateLimitConfig, description="per-source token buckets")

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError):
                raise ValueError(f"unknown time zone {value!r} (an IANA name such as Europe/Berlin)") from None
        return value

    @field_validator("reply_topics")
    @classmethod
    def _filters(cls, value: list[str] | None) -> list[str] | None:
        for topic in value or ():
            if not topic or "\0" in topic or topic.startswith("$"):
                raise ValueError(f"bad topic filter {topic!r}")
        return value

    @property
    def client_id(self) -> str:
        return self.broker.client_id or f"nanoiot-gateway-{self.gateway_id}"


def parse_address(value: str) -> dict[str, Any]:
    """'host:port', '[v6::addr]:port' or 'host' to broker fields (the port is checked with the rest)."""
    host, port = split_address(value)
    return {"host": host} if port is None else {"host": host, "port": port}


class EnvironmentVariables(EnvSettingsSource):
    """NANOIOT_* variables from the given mapping; `NANOIOT_BROKER=host:port` is the shorthand `--broker` also takes."""

    def __init__(self, environ: Mapping[str, str]) -> None:
        self._environ = environ
        super().__init__(GatewayConfig, env_prefix=ENV_PREFIX, env_nested_delimiter="__", case_sensitive=False)

    def _load_env_vars(self) -> Mapping[str, str | None]:
        return {name.lower(): value for name, value in self._environ.items()}

    def prepare_field_value(self, field_name: str, field: FieldInfo, value: Any, value_is_complex: bool) -> Any:
        if field_name == "broker" and isinstance(value, str) and not value.lstrip().startswith("{"):
            return {**parse_address(value), **self.explode_env_vars(field_name, field, self.env_vars)}
        return super().prepare_field_value(field_name, field, value, value_is_complex)


def _file(path: Path) -> TomlConfigSettingsSource:
    try:
        with path.open("rb"):
            pass  # pydantic-settings reads a missing file as empty; a file named on purpose must exist
        return TomlConfigSettingsSource(GatewayConfig, toml_file=path)
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None


def load_config(
    path: str | Path | None = None,
    overrides: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
) -> GatewayConfig:
    """Merge the layers (pydantic-settings) and validate; raise ConfigError naming the bad field and its origin."""
    flags = {key: value for key, value in (overrides or {}).items() if value is not None}
    if isinstance(flags.get("broker"), str):
        flags["broker"] = parse_address(flags["broker"])
    try:
        layers: list[tuple[str, PydanticBaseSettingsSource]] = [
            ("command line", InitSettingsSource(GatewayConfig, init_kwargs=flags)),
            ("environment", EnvironmentVariables(os.environ if environ is None else environ)),
        ]
        if path is not None:
            layers.append((f"config file {path}", _file(Path(path))))
        return GatewayConfig(_build_sources=(tuple(source for _, source in layers), {}))
    except SettingsError as exc:
        raise ConfigError(f"invalid gateway configuration: {exc}") from None
    except ValidationError as exc:
        raise ConfigError(_describe(exc, [(origin, source()) for origin, source in layers])) from None


def _origin(loc: tuple[str, ...], layers: list[tuple[str, dict[str, Any]]]) -> str:
    """The first layer (highest priority) that set the field at `loc` or the table holding it."""
    best, depth = "defaults", 0
    for origin, data in layers:
        node: Any = data
        for matched, part in enumerate(loc):
            if not isinstance(node, Mapping) or part not in node:
                break
            node = node[part]
        else:
            return origin
        if matched > depth:
            best, depth = origin, matched
    return best


def _describe(exc: ValidationError, layers: list[tuple[str, dict[str, Any]]]) -> str:
    lines = []
    for error in exc.errors():
        loc = tuple(str(part) for part in error["loc"])
        lines.append(f"{'.'.join(loc) or 'config'}: {error['msg']} (from {_origin(loc, layers)})")
    return "invalid gateway configuration: " + "; ".join(lines)


def read_password(config: GatewayConfig) -> str | None:
    """The broker password from its file (first line), or None; ConfigError when unreadable."""
    path = config.broker.password_file
    if path is None:
        return None
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"broker.password_file: cannot read {path}: {exc}") from None
    if not lines or not lines[0]:
        raise ConfigError(f"broker.password_file: {path} is empty")
    return lines[0]
