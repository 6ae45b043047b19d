#!/usr/bin/env bash
# Install the nanoiot gateway on a Linux box with systemd (docs/deploy.md, "Install").
#
# usage: sudo deploy/install.sh [--root DIR] [--skip-python] [--python PYTHON]
#        sudo deploy/install.sh --uninstall [--purge] [--root DIR]
#
#   (default)      the package (with its model) into a venv at /opt/nanoiot/venv,
#                  config and registry examples into /etc/nanoiot (never overwriting
#                  what is there), the units into /etc/systemd/system, a system user
#                  `nanoiot`; then prints the next steps. Safe to run again: that is
#                  also how to upgrade.
#   --uninstall    stop and disable the units, remove them and /opt/nanoiot; keeps
#                  /etc/nanoiot, /var/lib/nanoiot and the user unless --purge.
#   --root DIR     install below DIR instead of / (image builds, tests): no user,
#                  no systemctl.
#   --skip-python  leave the venv alone (it is built elsewhere, e.g. in an image).
#   --python P     the interpreter that creates the venv (default python3, >= 3.10).
set -euo pipefail

src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
root="" uninstall=0 purge=0 skip_python=0 python=python3
while [ $# -gt 0 ]; do
    case "$1" in
        --root) root=${2:?--root needs a directory}; shift ;;
        --uninstall) uninstall=1 ;;
        --purge) purge=1 ;;
        --skip-python) skip_python=1 ;;
        --python) python=${2:?--python needs an interpreter}; shift ;;
        -h|--help) sed -n '4,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "install.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
    shift
done
root=${root%/}

prefix=$root/opt/nanoiot
etc=$root/etc/nanoiot
state=$root/var/lib/nanoiot
units=$root/etc/systemd/system
user=nanoiot
live=0 # act on this machine's users and systemd only when installing into /
if [ -z "$root" ]; then
    [ "$(id -u)" -eq 0 ] || { echo "install.sh: run as root (sudo), or use --root DIR" >&2; exit 1; }
    live=1
fi
have_systemd() { [ "$live" -eq 1 ] && [ -d /run/systemd/system ] && command -v systemctl >/dev/null; }
say() { printf '%s\n' "$*"; }

if [ "$uninstall" -eq 1 ]; then
    if have_systemd; then
        mapfile -t running < <(systemctl list-units --all --plain --no-legend 'nanoiot-gateway*' | awk '{print $1}')
        [ ${#running[@]} -eq 0 ] || systemctl disable --now "${running[@]}" || true
        systemctl disable nanoiot-gateway.service 2>/dev/null || true
    fi
    rm -f "$units/nanoiot-gateway.service" "$units/nanoiot-gateway@.service"
    have_systemd && systemctl daemon-reload
    rm -rf "$prefix"
    say "removed the units and $prefix"
    if [ "$purge" -eq 1 ]; then
        rm -rf "$etc" "$state"
        say "purged $etc and $state"
        if [ "$live" -eq 1 ] && getent passwd "$user" >/dev/null; then
            userdel "$user"
            say "removed the user $user"
        fi
    else
        say "kept $etc (config, secrets) and $state; --purge removes them"
    fi
    exit 0
fi

# 1. The service user: no login, no home outside its state directory.
if [ "$live" -eq 1 ] && ! getent passwd "$user" >/dev/null; then
    useradd --system --user-group --home-dir /var/lib/nanoiot --no-create-home \
        --shell /usr/sbin/nologin --comment "nanoiot gateway" "$user"
    say "created system user $user"
fi

# 2. The package, with the shipped model, in its own venv.
mkdir -p "$prefix"
if [ "$skip_python" -eq 0 ]; then
    "$python" -c 'import sys; sys.exit(sys.version_info < (3, 10))' ||
        { echo "install.sh: $python is older than 3.10" >&2; exit 1; }
    [ -x "$prefix/venv/bin/python" ] || "$python" -m venv "$prefix/venv"
    "$prefix/venv/bin/python" -m pip install --quiet --upgrade pip
    "$prefix/venv/bin/python" -m pip install --quiet --upgrade "$src"
    "$prefix/venv/bin/nanoiot" --help >/dev/null
    say "installed nanoiot into $prefix/venv"
fi
mkdir -p "$prefix/docs"
for doc in deploy.md protocol.md model.md diagnostics.md; do
    [ -f "$src/docs/$doc" ] && install -m 0644 "$src/docs/$doc" "$prefix/docs/$doc"
done

# 3. Configuration: examples only where nothing is there yet; readable by the service only.
install -d -m 0750 "$etc"
install_once() { # $1 source, $2 target name
    if [ -e "$etc/$2" ]; then
        say "kept    $etc/$2"
    elif [ -f "$1" ]; then
        install -m 0640 "$1" "$etc/$2"
        say "created $etc/$2"
    fi
}
install_once "$src/deploy/gateway.example.toml" gateway.toml
install_once "$src/deploy/policy.example.toml" policy.toml
install_once "$src/nanoiot/data/example_registry.json" registry.json
for example in gateway.example.toml policy.example.toml; do # fresh copies to compare against on upgrades
    [ -f "$src/deploy/$example" ] && install -m 0640 "$src/deploy/$example" "$etc/$example"
done
# Everything in /etc/nanoiot, secrets added later included, readable by the service's
# group and nobody else; run this again after adding files.
find "$etc" -type d -exec chmod 0750 {} +
find "$etc" -type f -exec chmod 0640 {} +
[ "$live" -eq 1 ] && chown -R root:"$user" "$etc"

# 4. The units.
install -d -m 0755 "$units"
install -m 0644 "$src/deploy/systemd/nanoiot-gateway.service" "$units/nanoiot-gateway.service"
install -m 0644 "$src/deploy/systemd/nanoiot-gateway@.service" "$units/nanoiot-gateway@.service"
have_systemd && systemctl daemon-reload
say "installed the units into $units"

cat <<EOF

Next steps:
  1. Edit $etc/gateway.toml: broker host, site, TLS files and credentials
     (ca_file, cert_file, key_file, username, password_file), registry path.
     Put secrets in $etc (root:$user, mode 0640); see docs/deploy.md "Broker".
  2. Replace $etc/registry.json with this site's devices.
  3. Start one gateway:              systemctl enable --now nanoiot-gateway
     or several workers instead:     systemctl enable --now nanoiot-gateway@1 nanoiot-gateway@2
  4. Check it:                       systemctl status nanoiot-gateway
                                     journalctl -u nanoiot-gateway -o json-pretty
Docs: $prefix/docs/deploy.md
EOF
