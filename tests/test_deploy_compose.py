"""compose.yaml and deploy/Dockerfile, checked without a Docker engine.

`docker compose config` runs where the Compose plugin exists; everywhere the file
is also checked at the YAML level against what the code really accepts: the
gateways' environment goes through the gateway's own config loader, the fleet and
scenario arguments through firmware_sim's own parser.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
COMPOSE = REPO / "compose.yaml"
DOCKERFILE = REPO / "deploy" / "Dockerfile"


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE.read_text())


def gateways(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Services that run the image's default command, the gateway."""
    return {
        name: svc for name, svc in compose["services"].items()
        if svc.get("build") and "entrypoint" not in svc and "command" not in svc
    }


def test_docker_compose_config_validates(tmp_path: Path) -> None:
    docker = shutil.which("docker")
    if docker and subprocess.run([docker, "compose", "version"], capture_output=True, timeout=30).returncode == 0:
        cmd = [docker, "compose", "-f", str(COMPOSE), "config", "--quiet"]
    elif shutil.which("docker-compose"):
        # Compose v1 (Debian's docker-compose 1.29) validates against the Compose schema
        # too, but predates the top-level `name:`; check everything else with it.
        v1 = tmp_path / "compose.yaml"
        v1.write_text("".join(l for l in COMPOSE.read_text().splitlines(True) if not l.startswith("name:")))
        cmd = ["docker-compose", "--project-directory", str(REPO), "-f", str(v1), "config", "--quiet"]
    else:
        pytest.skip("neither `docker compose` nor docker-compose here; compose.yaml is checked at the YAML level below")
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=60, cwd=REPO)
    assert proc.returncode == 0, proc.stderr


def test_stack_has_broker_two_gateways_fleet_and_scenario(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert {"mosquitto", "fleet", "scenario"} <= set(services)
    assert len(gateways(compose)) == 2
    for name, svc in services.items():
        for dep in svc.get("depends_on", {}):
            assert dep in services, f"{name} depends on unknown {dep}"


def test_gateway_replicas_share_one_subscription_group(compose: dict[str, Any]) -> None:
    from nanoiot.gateway.config import load_config

    configs = {name: load_config(None, environ={k: str(v) for k, v in svc["environment"].items()})
               for name, svc in gateways(compose).items()}
    groups = {c.shared_group for c in configs.values()}
    assert len(groups) == 1 and None not in groups
    ids = [c.gateway_id for c in configs.values()]
    assert len(set(ids)) == len(ids), "replicas need distinct ids (MQTT client ids)"
    assert len({c.client_id for c in configs.values()}) == len(ids)
    assert {(c.broker.host, c.broker.port) for c in configs.values()} == {("mosquitto", 1883)}
    assert len({c.registry for c in configs.values()}) == 1


def test_every_long_running_service_has_a_health_check(compose: dict[str, Any]) -> None:
    for name, svc in compose["services"].items():
        if svc.get("restart") == "no":
            continue
        check = svc.get("healthcheck", {})
        assert check and not check.get("disable") and check["test"][0] == "CMD", name
    for name, svc in gateways(compose).items():
        assert svc["healthcheck"]["test"][1:] == ["python", "/opt/nanoiot/sdwatch.py", "check"], name


def test_start_order_follows_health(compose: dict[str, Any]) -> None:
    services = compose["services"]
    for name, svc in gateways(compose).items():
        assert svc["depends_on"]["mosquitto"]["condition"] == "service_healthy", name
        assert svc["depends_on"]["fleet"]["condition"] == "service_healthy", name  # it writes the registry
    scenario_deps = services["scenario"]["depends_on"]
    assert {n for n, d in scenario_deps.items() if d["condition"] == "service_healthy"} >= set(gateways(compose))


def test_fleet_and_scenario_arguments_parse(compose: dict[str, Any]) -> None:
    from firmware_sim.__main__ import build_parser

    services = compose["services"]
    for name in ("fleet", "scenario"):
        assert services[name]["entrypoint"] == ["python", "-m", "firmware_sim"]
        build_parser().parse_args(services[name]["command"])  # exits (SystemExit) when they do not
    fleet = build_parser().parse_args(services["fleet"]["command"])
    scenario = build_parser().parse_args(services["scenario"]["command"])
    gateway_registry = {svc["environment"]["NANOIOT_REGISTRY"] for svc in gateways(compose).values()}
    assert gateway_registry == {str(fleet.registry_out)} == {str(scenario.registry)}


def test_fleet_health_check_watches_the_fleets_availability_topic(compose: dict[str, Any]) -> None:
    from firmware_sim import topics
    from firmware_sim.__main__ import build_parser
    from firmware_sim.fleet import load_fleet

    args = build_parser().parse_args(compose["services"]["fleet"]["command"])
    site = load_fleet(args.fleet, site=args.site).site
    probe = " ".join(compose["services"]["fleet"]["healthcheck"]["test"])
    assert f"'{topics.fleet_availability_topic(site, args.fleet_id)}'" in probe


def test_mounted_files_exist_and_broker_config_has_nodelay(compose: dict[str, Any]) -> None:
    for name, svc in compose["services"].items():
        for volume in svc.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("./"):
                assert (REPO / source).exists(), f"{name} mounts missing {source}"
        if "build" in svc:
            assert (REPO / svc["build"]["context"] / svc["build"]["dockerfile"]).exists()
    conf = (REPO / "deploy" / "compose" / "mosquitto.conf").read_text().splitlines()
    assert "set_tcp_nodelay true" in conf
    ports = compose["services"]["mosquitto"].get("ports", [])
    assert all(str(p).startswith("127.0.0.1:") for p in ports), "the demo broker takes anonymous clients"


def dockerfile_instructions() -> list[tuple[str, str]]:
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text())
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            out.append((word.upper(), rest.strip()))
    return out


def test_dockerfile_is_slim_non_root_with_health_check() -> None:
    instructions = dockerfile_instructions()
    args = {rest.split("=", 1)[0]: rest.split("=", 1)[1] for word, rest in instructions if word == "ARG" and "=" in rest}
    bases = [rest.split()[0].replace("${PYTHON_IMAGE}", args.get("PYTHON_IMAGE", "")) for w, rest in instructions if w == "FROM"]
    assert bases and all("slim" in base for base in bases)
    final = instructions[max(i for i, (w, _) in enumerate(instructions) if w == "FROM"):]
    users = [rest for w, rest in final if w == "USER"]
    assert users and not users[-1].startswith(("root", "0"))
    assert any(w == "HEALTHCHECK" and "sdwatch.py" in rest and "check" in rest for w, rest in final)
    entrypoint = next(rest for w, rest in final if w == "ENTRYPOINT")
    assert "sdwatch.py" in entrypoint and "run" in entrypoint
    copies = " ".join(rest for w, rest in final if w == "COPY")
    assert "deploy/container/sdwatch.py" in copies
    # the build checks the model is in the package, and that it loads and answers
    assert any(w == "RUN" and "CommandParser.load" in rest for w, rest in final)


def test_image_default_command_is_a_valid_gateway_invocation() -> None:
    from nanoiot.cli import build_parser

    cmd = next(rest for w, rest in dockerfile_instructions() if w == "CMD")
    argv = yaml.safe_load(cmd)  # JSON array form
    assert argv[0] == "nanoiot"
    args = build_parser().parse_args(argv[1:])
    assert args.command == "gateway"


def test_dockerignore_keeps_the_venv_out() -> None:
    ignore = (REPO / "deploy" / "Dockerfile.dockerignore").read_text().splitlines()
    patterns = [l.strip() for l in ignore if l.strip() and not l.startswith("#")]
    assert patterns[0] == "*", "deny everything, then allow what the image needs"
    allowed = {p[1:].rstrip("/") for p in patterns if p.startswith("!")}
    copied = set()
    for word, rest in dockerfile_instructions():
        if word == "COPY" and not rest.startswith("--from"):
            copied.update(s.rstrip("/").lstrip("./") for s in shlex.split(rest)[:-1])
    assert copied <= allowed, f"the Dockerfile copies what the ignore file filters out: {copied - allowed}"
