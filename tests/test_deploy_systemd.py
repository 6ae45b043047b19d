"""The systemd units and the installer in deploy/ (docs/deploy.md).

`systemd-analyze verify` and `systemd-analyze security --offline` run on the
shipped unit files inside a scratch root (systemd's own units copied in, a stub
at the ExecStart path), so nothing on this machine is touched; the installer
runs with `--root` into a scratch directory.
"""

from __future__ import annotations

import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from support import needs, require

REPO = Path(__file__).resolve().parents[1]
UNITS = REPO / "deploy" / "systemd"
SINGLE = UNITS / "nanoiot-gateway.service"
TEMPLATE = UNITS / "nanoiot-gateway@.service"
INSTALL = REPO / "deploy" / "install.sh"
EXEC_START = "/opt/nanoiot/venv/bin/nanoiot gateway --config /etc/nanoiot/gateway.toml"

needs_analyze = needs(None if shutil.which("systemd-analyze") else "systemd-analyze missing (Debian: apt-get install -y systemd; .ci/run does this)")


def unit_settings(path: Path) -> list[tuple[str, str, str]]:
    """(section, key, value) in file order; systemd keys may repeat, so no dict."""
    section, out = "", []
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        if line.startswith("["):
            section = line.strip("[]")
            continue
        key, _, value = line.partition("=")
        out.append((section, key.strip(), value.strip()))
    return out


def service_values(path: Path, key: str) -> list[str]:
    return [v for s, k, v in unit_settings(path) if s == "Service" and k == key]


def system_unit_dir() -> Path:
    for candidate in (Path("/usr/lib/systemd/system"), Path("/lib/systemd/system")):
        if (candidate / "sysinit.target").exists():
            return candidate
    pytest.skip("systemd's own units (sysinit.target ...) are not installed")


def scratch_root(tmp_path: Path, units: list[Path]) -> Path:
    """A root with systemd's units, the given unit files and a stub gateway executable."""
    root = tmp_path / "root"
    shutil.copytree(system_unit_dir(), root / "usr/lib/systemd/system", symlinks=True)
    (root / "etc/systemd/system").mkdir(parents=True)
    for unit in units:
        shutil.copy(unit, root / "etc/systemd/system" / unit.name)
    stub = root / "opt/nanoiot/venv/bin/nanoiot"
    stub.parent.mkdir(parents=True)
    stub.write_text("#!/bin/sh\nexit 0\n")
    stub.chmod(0o755)
    return root


def verify(root: Path, *names: str) -> str:
    """Run `systemd-analyze verify`; return its complaints ('' when the units are clean)."""
    proc = subprocess.run(
        ["systemd-analyze", "verify", f"--root={root}", *names],
        capture_output=True, text=True, timeout=60,
    )
    complaints = (proc.stdout + proc.stderr).strip()
    if proc.returncode != 0 and not complaints:
        complaints = f"exit status {proc.returncode}"
    return complaints


@needs_analyze
def test_units_pass_systemd_analyze_verify(tmp_path: Path) -> None:
    root = scratch_root(tmp_path, [SINGLE, TEMPLATE])
    assert verify(root, "nanoiot-gateway.service", "nanoiot-gateway@1.service") == ""


@needs_analyze
def test_verify_reports_a_broken_unit(tmp_path: Path) -> None:
    """The check above can fail: a misspelt hardening key is reported."""
    broken = tmp_path / "nanoiot-gateway.service"
    broken.write_text(SINGLE.read_text().replace("ProtectSystem=strict", "ProtectSytem=strict"))
    root = scratch_root(tmp_path, [broken])
    assert "ProtectSytem" in verify(root, "nanoiot-gateway.service")


@needs_analyze
@pytest.mark.parametrize("unit", [SINGLE, TEMPLATE], ids=lambda p: p.name)
def test_security_exposure_is_at_most_2(tmp_path: Path, unit: Path) -> None:
    target = tmp_path / unit.name.replace("@.", "@1.")
    shutil.copy(unit, target)
    proc = subprocess.run(
        ["systemd-analyze", "security", "--offline=true", "--no-pager", str(target)],
        capture_output=True, text=True, timeout=60,
    )
    match = re.search(r"Overall exposure level for \S+: (\d+\.\d+)", proc.stdout)
    if match is None:
        pytest.skip(f"this systemd-analyze cannot score unit files offline: {proc.stderr.strip()[:200]}")
    assert float(match.group(1)) <= 2.0, proc.stdout


@pytest.mark.parametrize("unit", [SINGLE, TEMPLATE], ids=lambda p: p.name)
def test_units_carry_the_required_settings(unit: Path) -> None:
    single = lambda key: service_values(unit, key)  # noqa: E731
    assert single("Type") == ["notify"]
    assert single("NotifyAccess") == ["main"]
    assert single("Restart") == ["on-failure"]
    assert single("ExecStart") == [EXEC_START]
    assert int(single("WatchdogSec")[0].rstrip("s")) > 0
    assert single("User") == ["nanoiot"] and single("DynamicUser") == []
    assert single("ProtectSystem") == ["strict"]
    for key in ("ProtectHome", "PrivateTmp", "NoNewPrivileges", "PrivateDevices"):
        assert single(key) == ["yes"], key
    assert single("CapabilityBoundingSet") == [""]
    assert single("RestrictAddressFamilies") == ["AF_UNIX AF_INET AF_INET6"]
    assert "@system-service" in single("SystemCallFilter")
    assert re.fullmatch(r"\d+[KMG]", single("MemoryMax")[0])
    assert single("StateDirectory")[0].startswith("nanoiot")
    assert single("ConfigurationDirectory") == ["nanoiot"]


def test_template_runs_distinct_workers_with_the_same_sandbox() -> None:
    per_worker = {"StateDirectory", "WorkingDirectory", "Environment", "SyslogIdentifier"}
    single = [(k, v) for s, k, v in unit_settings(SINGLE) if s == "Service" and k not in per_worker]
    template = [(k, v) for s, k, v in unit_settings(TEMPLATE) if s == "Service" and k not in per_worker]
    assert single == template
    for key in ("StateDirectory", "SyslogIdentifier"):
        assert "%i" in service_values(TEMPLATE, key)[0], key
    # Gateway settings from the environment win over gateway.toml (nanoiot.gateway.config).
    env = dict(item.split("=", 1) for line in service_values(TEMPLATE, "Environment") for item in line.split())
    assert "%i" in env["NANOIOT_GATEWAY_ID"]
    # one state directory for all: the group's record of handled ids (docs/reliability.md) is shared
    assert env["NANOIOT_STATE_DIR"] == "/var/lib/nanoiot" and "nanoiot" in service_values(TEMPLATE, "StateDirectory")[0].split()
    assert env["NANOIOT_SHARED_GROUP"]


def run_install(root: Path, *args: str) -> str:
    proc = subprocess.run(
        ["bash", str(INSTALL), "--root", str(root), *args], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_install_is_idempotent_and_keeps_local_config(tmp_path: Path) -> None:
    root = tmp_path / "target"
    first = run_install(root, "--skip-python")
    units = root / "etc/systemd/system"
    for unit in (SINGLE, TEMPLATE):
        assert (units / unit.name).read_bytes() == unit.read_bytes()
    etc = root / "etc/nanoiot"
    assert stat.S_IMODE(etc.stat().st_mode) == 0o750
    installed = sorted(p.name for p in etc.iterdir())
    assert "policy.toml" in installed and "created" in first
    for path in etc.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) & 0o007 == 0, f"{path.name} is world-readable"
    assert "Next steps" in first

    (etc / "policy.toml").write_text("# edited on site\n")
    second = run_install(root, "--skip-python")
    assert (etc / "policy.toml").read_text() == "# edited on site\n"
    assert "kept" in second and sorted(p.name for p in etc.iterdir()) == installed

    run_install(root, "--uninstall")
    assert not (units / SINGLE.name).exists() and not (units / TEMPLATE.name).exists()
    assert not (root / "opt/nanoiot").exists()
    assert (etc / "policy.toml").read_text() == "# edited on site\n"

    run_install(root, "--uninstall", "--purge")
    assert not etc.exists()


def test_install_rejects_unknown_arguments(tmp_path: Path) -> None:
    proc = subprocess.run(["bash", str(INSTALL), "--root", str(tmp_path), "--frobnicate"],
                          capture_output=True, text=True, timeout=30)
    assert proc.returncode == 2 and "--frobnicate" in proc.stderr
    assert not (tmp_path / "etc").exists()


# The unit sets ProcSubset=pid: CTranslate2 must run without /proc/cpuinfo & co. A
# private /proc mounted with subset=pid is what ProcSubset=pid gives. The unit leaves
# MemoryDenyWriteExecute off because CTranslate2's CPU kernels generate code at run
# time and, under the W^X rule, compute garbage; the kernel's PR_SET_MDWE (Linux 6.3+)
# enforces that rule on a plain process, so the model's behaviour under it is checked
# here without systemd: it must refuse to load or answer right, never answer garbage.
SENTENCES = '["turn on the kitchen light", "set the thermostat to 21 degrees"] * 4'
PARSE_PROBE = f"""
from nanoiot.engine import ModelLoadError
from nanoiot.parser import CommandParser
from nanoiot.registry import load_registry, default_registry_path
try:
    parser = CommandParser.load(load_registry(default_registry_path()))
except ModelLoadError as exc:
    print("refused", exc); raise SystemExit(0)
results = parser.parse_batch({SENTENCES})
print("parsed", sum(r.status == "ok" for r in results), len(results))
"""
MDWE_PROBE = """
import ctypes, sys
libc = ctypes.CDLL(None, use_errno=True)
PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN = 65, 1
if libc.prctl(PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN, 0, 0, 0) != 0:
    print("unsupported"); sys.exit(0)
# Proof the rule holds in this process: a W+X mapping is refused.
import mmap
try:
    mmap.mmap(-1, 4096, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)
    print("not enforced"); sys.exit(0)
except OSError:
    pass
""" + PARSE_PROBE
PROC_SUBSET = 'mount -o remount,subset=pid,hidepid=invisible /proc && test ! -e /proc/cpuinfo && exec "$@"'


def model_shipped() -> bool:
    from nanoiot.registry import default_registry_path

    return default_registry_path().exists() and any((REPO / "nanoiot" / "model").glob("*.bin"))


def verdict(cmd: list[str]) -> str:
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr[-2000:]
    lines = proc.stdout.strip().splitlines()  # log events may come first; the verdict is the last line
    return lines[-1] if lines else ""


def test_model_runs_with_the_units_proc_subset() -> None:
    assert service_values(SINGLE, "ProcSubset") == ["pid"]
    require(None if model_shipped() else "the shipped model or example registry is not there yet")
    unshare = shutil.which("unshare")
    if unshare is None or subprocess.run([unshare, "-mpf", "--mount-proc", "true"],
                                         capture_output=True, timeout=30).returncode != 0:
        pytest.skip("cannot make a private /proc here (needs unshare and CAP_SYS_ADMIN)")
    out = verdict([unshare, "-mpf", "--mount-proc", "sh", "-c", PROC_SUBSET, "sh", sys.executable, "-c", PARSE_PROBE])
    assert out == "parsed 8 8", out


def test_without_executable_memory_the_model_refuses_to_load_rather_than_answer_garbage() -> None:
    assert service_values(SINGLE, "MemoryDenyWriteExecute") == ["no"]  # see the unit's comment
    require(None if model_shipped() else "the shipped model or example registry is not there yet")
    out = verdict([sys.executable, "-c", MDWE_PROBE])
    if out in ("unsupported", "not enforced"):
        pytest.skip(f"PR_SET_MDWE {out} on this kernel (needs Linux 6.3+)")
    assert out.startswith("refused model self-check failed") and "MemoryDenyWriteExecute" in out or out == "parsed 8 8", out
