#!/usr/bin/env bash
# Starts casebot from a fresh clone on Debian 12+/Ubuntu 24.04+ (Python 3.11+): installs Debian's python3-venv
# where it is missing, creates the virtual environment .venv, installs the project into it and runs `casebot`
# with the arguments given (none: every configured channel, or the terminal chat on the demo campaign).
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ] && ! "$PYTHON" -c "import ensurepip, venv" 2>/dev/null; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends python3-venv >/dev/null
fi
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e .
exec .venv/bin/casebot "$@"
