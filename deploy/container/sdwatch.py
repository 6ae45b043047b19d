#!/usr/bin/env python3
"""Container health from the gateway's own sd_notify messages (docs/deploy.md, "Containers").

A container has no systemd to receive READY=1 and WATCHDOG=1, so this is the
container's main process instead: it binds a Unix datagram socket, starts the
gateway with NOTIFY_SOCKET and WATCHDOG_USEC pointing at it, forwards signals,
and keeps a small JSON state file that `sdwatch.py check` (the image's
HEALTHCHECK) reads. Healthy means what it means under systemd: READY=1 seen, no
STOPPING=1, and the last WATCHDOG=1 no older than the watchdog interval, which
the gateway only sends while its MQTT loop and model work.

    sdwatch.py run [--watchdog-sec 30] -- nanoiot gateway --config /etc/nanoiot/gateway.toml
    sdwatch.py check      # exit 0 healthy, 1 not (with the reason on stdout)

Standard library only, so it runs before and regardless of the nanoiot package.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

DEFAULT_DIR = Path(os.environ.get("SDWATCH_DIR", "/tmp"))
DEFAULT_STATE = DEFAULT_DIR / "nanoiot-health.json"
DEFAULT_SOCKET = DEFAULT_DIR / "nanoiot-notify.sock"


def write_state(path: Path, state: dict[str, Any]) -> None:
    """Replace the state file atomically, so `check` never reads half a file."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(state))
    os.replace(tmp, path)


def apply_message(state: dict[str, Any], datagram: bytes, now: float) -> bool:
    """Fold one sd_notify datagram into `state`; True when something changed."""
    changed = False
    for line in datagram.decode("utf-8", "replace").splitlines():
        key, sep, value = line.partition("=")
        if not sep:
            continue
        if key == "READY" and value == "1":
            state["ready"], state["last_watchdog"] = True, now
        elif key == "WATCHDOG" and value == "1":
            state["last_watchdog"] = now
            state["watchdog_pings"] = state.get("watchdog_pings", 0) + 1
        elif key == "WATCHDOG" and value == "trigger":
            state["last_watchdog"] = None  # the service says it is stuck
        elif key == "STOPPING" and value == "1":
            state["stopping"] = True
        elif key == "STATUS":
            state["status"] = value[:200]
        else:
            continue
        changed = True
    return changed


def run(command: list[str], state_path: Path, socket_path: Path, watchdog_sec: float) -> int:
    """Start `command` under a notify socket, keep the state file, return its exit status."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    socket_path.unlink(missing_ok=True)
    sock.bind(str(socket_path))
    socket_path.chmod(0o600)
    sock.settimeout(0.5)
    env = dict(os.environ, NOTIFY_SOCKET=str(socket_path), WATCHDOG_USEC=str(int(watchdog_sec * 1_000_000)))
    env.pop("WATCHDOG_PID", None)
    state: dict[str, Any] = {
        "ready": False, "stopping": False, "last_watchdog": None, "watchdog_pings": 0, "status": "starting",
        "watchdog_sec": watchdog_sec, "exit_status": None,
    }
    write_state(state_path, state)
    try:
        child = subprocess.Popen(command, env=env)
    except OSError as exc:
        print(f"sdwatch: cannot start {command[0]!r}: {exc}", file=sys.stderr)
        state["exit_status"] = 127
        write_state(state_path, state)
        return 127
    state["pid"] = child.pid
    write_state(state_path, state)

    def forward(signum: int, _frame: object) -> None:
        if child.poll() is None:
            child.send_signal(signum)

    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, forward)
    while child.poll() is None:
        try:
            datagram = sock.recv(4096)
        except (TimeoutError, socket.timeout):
            continue
        if apply_message(state, datagram, time.monotonic()):
            write_state(state_path, state)
    returncode = child.wait()
    status = 128 - returncode if returncode < 0 else returncode
    state["exit_status"] = status
    write_state(state_path, state)
    sock.close()
    socket_path.unlink(missing_ok=True)
    return status


def check(state_path: Path, max_age: float | None = None) -> tuple[bool, str]:
    """(healthy, reason) from the state file `run` keeps."""
    try:
        state = json.loads(state_path.read_text())
    except (OSError, ValueError) as exc:
        return False, f"no health state ({exc})"
    if state.get("exit_status") is not None:
        return False, f"gateway exited with {state['exit_status']}"
    if state.get("stopping"):
        return False, "gateway is stopping"
    if not state.get("ready"):
        return False, f"gateway not ready yet: {state.get('status', '')}"
    last = state.get("last_watchdog")
    limit = max_age if max_age is not None else float(state.get("watchdog_sec", 30))
    if last is None:
        return False, "gateway asked for a watchdog restart"
    age = time.monotonic() - float(last)
    if age > limit:
        return False, f"no watchdog ping for {age:.0f} s (limit {limit:.0f} s)"
    return True, f"ok: {state.get('status', '')}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="sdwatch", description=__doc__.splitlines()[0])
    parser.add_argument("--state", type=Path, default=DEFAULT_STATE, help="health state file")
    sub = parser.add_subparsers(dest="mode", required=True)
    run_p = sub.add_parser("run", help="run COMMAND under a notify socket")
    run_p.add_argument("--socket", type=Path, default=DEFAULT_SOCKET)
    run_p.add_argument("--watchdog-sec", type=float, default=float(os.environ.get("SDWATCH_WATCHDOG_SEC", "30")))
    run_p.add_argument("command", nargs=argparse.REMAINDER)
    check_p = sub.add_parser("check", help="exit 0 when healthy")
    check_p.add_argument("--max-age", type=float, default=None, help="seconds; default the watchdog interval")
    args = parser.parse_args(argv)
    if args.mode == "run":
        command = args.command[1:] if args.command[:1] == ["--"] else args.command
        if not command:
            parser.error("run needs a command after --")
        return run(command, args.state, args.socket, args.watchdog_sec)
    healthy, reason = check(args.state, args.max_age)
    print(reason)
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main())
