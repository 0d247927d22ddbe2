#!/usr/bin/env bash
# Builds a wheelhouse: casebot and every runtime dependency as wheel files, for installing on a server that has no
# internet access (an office intranet). Run it on a machine with access to PyPI and the same operating system,
# CPU architecture and Python minor version as the server (python3 --version on both); for another target, pass
# pip's own options, e.g. PIP_TARGET_ARGS="--platform manylinux2014_x86_64 --python-version 3.11".
#
#   bash scripts/wheelhouse.sh [folder]        # default folder: wheelhouse/ ; also writes folder.tar.gz
#
# On the server (see docs/deployment.md):
#   tar -xzf wheelhouse.tar.gz && python3 -m venv /opt/casebot/venv
#   /opt/casebot/venv/bin/pip install --no-index --find-links wheelhouse casebot
set -euo pipefail
cd "$(dirname "$0")/.."

OUT="${1:-wheelhouse}"
PYTHON="${PYTHON:-python3}"
mkdir -p "$OUT"
"$PYTHON" -m pip wheel --quiet --no-deps --wheel-dir "$OUT" .
# shellcheck disable=SC2086  # PIP_TARGET_ARGS is a list of options
"$PYTHON" -m pip download --quiet --only-binary=:all: --dest "$OUT" ${PIP_TARGET_ARGS:-} "$OUT"/casebot-*.whl
tar -czf "$OUT.tar.gz" "$OUT"
echo "$(find "$OUT" -name '*.whl' | wc -l) wheels in $OUT/ and $OUT.tar.gz"
