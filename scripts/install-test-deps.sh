#!/usr/bin/env bash
# System packages the test suite needs: Debian's Chromium (browser tests; never a downloaded
# browser), the PostgreSQL server binaries (the suite starts its own throw-away cluster) and
# nginx (tests/security runs the shipped deploy/nginx.conf in front of the app on loopback).
# Installs what is missing when run as root; otherwise says what to install and exits 1.
set -euo pipefail
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || command -v initdb >/dev/null || missing+=(postgresql)
((${#missing[@]})) || exit 0
if [ "$(id -u)" != 0 ]; then
    echo "The tests need these Debian packages: ${missing[*]}" >&2
    echo "Install them with: sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends "${missing[@]}"
