"""Gateway configuration: layer precedence, env mapping, errors that name the field."""

import pytest

from nanoiot.gateway import cli
from nanoiot.gateway.config import ConfigError, load_config, parse_address, read_password


def write(tmp_path, text):
    path = tmp_path / "gateway.toml"
    path.write_text(text)
    return path


def test_no_config_at_all_means_localhost_and_shipped_registry():
    config = load_config(environ={})
    assert (config.broker.host, config.broker.port) == ("localhost", 1883)
    assert config.registry is None  # Gateway falls back to default_registry_path()
    assert config.client_id == "nanoiot-gateway-gw1"
    assert config.limits.max_payload_bytes == 4096


def test_flags_beat_environment_beat_file(tmp_path):
    path = write(tmp_path, 'site = "file"\ngateway_id = "file"\n[broker]\nhost = "filehost"\nport = 1000\n[limits]\nmax_batch_size = 4\n')
    env = {"NANOIOT_SITE": "env", "NANOIOT_BROKER__PORT": "2000", "NANOIOT_LIMITS__MAX_BATCH_SIZE": "8"}
    config = load_config(path, {"site": "flag", "gateway_id": None}, environ=env)
    assert config.site == "flag"  # flag over env
    assert config.gateway_id == "file"  # an unset flag does not override
    assert config.broker.host == "filehost"  # file value kept where nothing overrides it
    assert config.broker.port == 2000  # env over file, merged into the same table
    assert config.limits.max_batch_size == 8


def test_broker_shorthand_from_flag_and_env(tmp_path):
    path = write(tmp_path, '[broker]\nhost = "filehost"\nusername = "gateway"\n')
    config = load_config(path, {"broker": "10.0.0.5:1884"}, environ={})
    assert (config.broker.host, config.broker.port, config.broker.username) == ("10.0.0.5", 1884, "gateway")
    assert load_config(environ={"NANOIOT_BROKER": "mqtt.lan:8883"}).broker.port == 8883
    both = load_config(environ={"NANOIOT_BROKER": "mqtt.lan:8883", "NANOIOT_BROKER__USERNAME": "gw"}).broker
    assert (both.host, both.port, both.username) == ("mqtt.lan", 8883, "gw")
    assert parse_address("[::1]:1883") == {"host": "::1", "port": "1883"}
    assert parse_address("broker.lan") == {"host": "broker.lan"}


def test_sources_and_tls_from_environment():
    env = {
        "NANOIOT_SOURCES__KITCHEN_PANEL": "kitchen",
        "NANOIOT_BROKER__TLS": '{"ca_file": "/etc/ca.crt"}',
        "NANOIOT_TEST_BROKER": "127.0.0.1:1",  # not a setting: ignored
        "NANOIOT_LOG_FORMAT": "json",
    }
    config = load_config(environ=env)
    assert config.sources == {"kitchen_panel": "kitchen"}
    assert str(config.broker.tls.ca_file) == "/etc/ca.crt"
    assert config.log_format == "json"


@pytest.mark.parametrize(
    "toml, env, field, origin",
    [
        ('[broker]\nport = 70000\n', {}, "broker.port", "config file"),
        ('', {"NANOIOT_BROKER__PORT": "abc"}, "broker.port", "environment"),
        ('site = "a/b"\n', {}, "site", "config file"),
        ('[broker]\nprot = 1\n', {}, "broker.prot", "config file"),
        ('[limits]\nmax_batch_size = 0\n', {}, "limits.max_batch_size", "config file"),
        ('[broker.tls]\ncert_file = "/c.crt"\n', {}, "broker.tls", "config file"),
        ('shared_group = "a+b"\n', {}, "shared_group", "config file"),
    ],
)
def test_bad_values_name_the_field_and_origin(tmp_path, toml, env, field, origin):
    with pytest.raises(ConfigError) as err:
        load_config(write(tmp_path, toml), environ=env)
    assert f"{field}:" in str(err.value)
    assert origin in str(err.value)


def test_a_table_in_the_environment_is_json_and_bad_json_names_the_field():
    assert load_config(environ={"NANOIOT_BROKER": '{"host": "a", "port": 5}'}).broker.port == 5
    with pytest.raises(ConfigError, match='"permissions".*EnvironmentVariables'):
        load_config(environ={"NANOIOT_PERMISSIONS": "{not json"})


def test_unreadable_or_broken_file(tmp_path):
    with pytest.raises(ConfigError, match="cannot read config file"):
        load_config(tmp_path / "missing.toml", environ={})
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(write(tmp_path, "site = \n"), environ={})


def test_password_file(tmp_path):
    secret = tmp_path / "pw"
    secret.write_text("s3cret\n")
    config = load_config(overrides={"broker": {"username": "gw", "password_file": str(secret)}}, environ={})
    assert read_password(config) == "s3cret"
    secret.write_text("")
    with pytest.raises(ConfigError, match="broker.password_file"):
        read_password(config)


def test_cli_flags_and_exit_code_on_bad_config(tmp_path, capsys):
    import argparse

    parser = argparse.ArgumentParser()
    cli.register(parser.add_subparsers())
    args = parser.parse_args(["gateway", "--broker", "h:1", "--site", "plant", "--shared-group", "workers", "--gateway-id", "gw7"])
    config = cli.config_from_args(args)
    assert (config.broker.host, config.site, config.shared_group, config.client_id) == ("h", "plant", "workers", "nanoiot-gateway-gw7")
    bad = parser.parse_args(["gateway", "--config", str(write(tmp_path, "[limits]\nqueue_size = -1\n"))])
    assert bad.func(bad) == 2
    assert "limits.queue_size" in capsys.readouterr().err


def test_shipped_example_config_is_valid():
    from pathlib import Path

    config = load_config(Path(__file__).parent.parent / "deploy" / "gateway.example.toml", environ={})
    assert config.sources["kitchen_panel"] == "kitchen"
    assert config.state_dir is not None


def test_the_clock_of_commands_for_later_is_a_known_time_zone():
    assert load_config(environ={"NANOIOT_TIMEZONE": "Europe/Berlin"}).timezone == "Europe/Berlin"
    with pytest.raises(ConfigError, match="timezone.*unknown time zone 'Mars/Olympus'"):
        load_config(environ={"NANOIOT_TIMEZONE": "Mars/Olympus"})
