#!/usr/bin/env bash
# Create a site's certificate authority, the broker's server certificate and one
# client certificate per MQTT client, with openssl (docs/deploy.md, "Broker").
#
# usage: make-certs.sh [-o DIR] [-d DAYS] [-H HOST]... SITE [CLIENT...]
#
#   SITE     site name, put in the CA's and certificates' subjects
#   CLIENT   a client name (gateway, kitchen_panel, ...): DIR/clients/CLIENT.{crt,key}
#   -o DIR   output directory (default ./certs-SITE)
#   -H HOST  a DNS name or IP address clients use to reach the broker; repeat as
#            needed (default: this machine's hostname, localhost, 127.0.0.1)
#   -d DAYS  validity of new server and client certificates (default 825)
#
# Idempotent: existing keys and certificates are kept, so running it again with
# more CLIENT names only adds those. Delete a file to re-issue it. The CA key
# (DIR/ca.key) signs everything: keep it off the broker once the site is set up.
# Keys are ECDSA P-256, which small TLS stacks (mbedTLS on ESP32) handle.
set -euo pipefail
umask 077

usage() { sed -n '5,13p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

out="" days=825 hosts=()
while getopts "o:d:H:h" opt; do
    case "$opt" in
        o) out=$OPTARG ;;
        d) days=$OPTARG ;;
        H) hosts+=("$OPTARG") ;;
        *) usage ;;
    esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || usage
site=$1
shift
name_re='^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$'
for name in "$site" "$@"; do
    [[ $name =~ $name_re ]] || { echo "make-certs: bad name '$name' (letters, digits, _ . - only)" >&2; exit 2; }
done
[[ $days =~ ^[0-9]+$ ]] || { echo "make-certs: -d wants a number of days" >&2; exit 2; }
[ ${#hosts[@]} -gt 0 ] || hosts=("$(hostname)" localhost 127.0.0.1)
out=${out:-./certs-$site}
command -v openssl >/dev/null || { echo "make-certs: openssl not found (apt-get install openssl)" >&2; exit 1; }

mkdir -p "$out/clients"
cd "$out"

ext=$(mktemp)
trap 'rm -f "$ext" ./*.csr clients/*.csr' EXIT

# Issue NAME.crt/NAME.key signed by the CA unless NAME.crt exists. $2: subject CN, $3: extensions.
issue() {
    local name=$1 cn=$2 extensions=$3
    if [ -s "$name.crt" ] && [ -s "$name.key" ]; then
        echo "kept    $out/$name.crt"
        return
    fi
    openssl ecparam -name prime256v1 -genkey -noout -out "$name.key"
    openssl req -new -key "$name.key" -subj "/O=nanoiot/OU=$site/CN=$cn" -out "$name.csr"
    printf '%s\n' "$extensions" >"$ext"
    openssl x509 -req -in "$name.csr" -CA ca.crt -CAkey ca.key -CAcreateserial \
        -days "$days" -sha256 -extfile "$ext" -out "$name.crt" 2>/dev/null
    rm -f "$name.csr"
    chmod 0644 "$name.crt"
    echo "issued  $out/$name.crt"
}

if [ -s ca.crt ] && [ -s ca.key ]; then
    echo "kept    $out/ca.crt"
else
    openssl ecparam -name prime256v1 -genkey -noout -out ca.key
    openssl req -x509 -new -key ca.key -sha256 -days 3650 -subj "/O=nanoiot/OU=$site/CN=nanoiot $site CA" \
        -addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
        -addext "keyUsage=critical,keyCertSign,cRLSign" \
        -addext "subjectKeyIdentifier=hash" -out ca.crt
    chmod 0644 ca.crt
    echo "created $out/ca.crt"
fi

san=""
for host in "${hosts[@]}"; do
    if [[ $host =~ ^[0-9.]+$ || $host == *:* ]]; then san+="IP:$host,"; else san+="DNS:$host,"; fi
done
common="basicConstraints=critical,CA:FALSE
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid,issuer"

issue server "${hosts[0]}" "$common
keyUsage=critical,digitalSignature,keyAgreement
extendedKeyUsage=serverAuth
subjectAltName=${san%,}"

for client in "$@"; do
    issue "clients/$client" "$client" "$common
keyUsage=critical,digitalSignature,keyAgreement
extendedKeyUsage=clientAuth"
done

openssl verify -CAfile ca.crt server.crt >/dev/null
echo "next: copy ca.crt server.crt server.key to the broker (key readable by group mosquitto),"
echo "      ca.crt + clients/NAME.crt + clients/NAME.key to each client; keep ca.key offline."
