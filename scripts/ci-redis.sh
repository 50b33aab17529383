#!/usr/bin/env bash
# Makes redis-server available for the Redis-backed tests (test/execute/bullmq.test.ts).
# The tests start and stop their own redis-server on a free loopback port (127.0.0.1,
# --save '' --appendonly no), so CI only needs the binary; nothing is left running.
# Usage (from .ci/run): bash scripts/ci-redis.sh
set -euo pipefail
if command -v redis-server >/dev/null 2>&1; then
  echo "ci-redis: $(redis-server --version)"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends redis-server
# The Debian package may start a system service on 6379; the tests do not use it. Stop it when we can.
if command -v systemctl >/dev/null 2>&1; then $SUDO systemctl stop redis-server >/dev/null 2>&1 || true; fi
if command -v service >/dev/null 2>&1; then $SUDO service redis-server stop >/dev/null 2>&1 || true; fi
echo "ci-redis: $(redis-server --version)"
