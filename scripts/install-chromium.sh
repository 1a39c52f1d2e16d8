#!/usr/bin/env bash
# Installs Debian's headless-capable Chromium (packages chromium + chromium-driver) when it is missing,
# for the report module's browser test (docs/report.md). Needs root and apt; does nothing when a
# chromium binary is already on the PATH. Outside CI a failure only warns (the browser test then skips);
# in CI (CI=true) it fails, because the browser test must run there.
set -euo pipefail

if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then
    exit 0
fi

fail() {
    if [ "${CI:-}" = "true" ]; then
        echo "install-chromium: $1" >&2
        exit 1
    fi
    echo "install-chromium: $1 (the browser test will be skipped)" >&2
    exit 0
}

if [ "$(id -u)" -ne 0 ]; then
    fail "chromium is missing and installing it needs root: apt-get install chromium chromium-driver"
fi
echo "install-chromium: installing Debian's chromium and chromium-driver" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null || fail "apt-get update failed"
apt-get install -y -qq --no-install-recommends chromium chromium-driver fonts-dejavu-core >/dev/null \
    || fail "apt-get install chromium chromium-driver failed"
command -v chromium >/dev/null 2>&1 || fail "chromium is still not on the PATH after installing it"
