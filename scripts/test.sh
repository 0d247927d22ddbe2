#!/usr/bin/env bash
# The whole test suite from a fresh clone on Debian 12+/Ubuntu 24.04+ (Python 3.11+): Debian packages for
# the office checks, a virtual environment .venv (without system site packages) holding the project and its
# test extra, then the quality gates (ruff, mypy) and pytest. CI runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
need_apt=()
command -v soffice >/dev/null 2>&1 || need_apt+=(libreoffice-writer libreoffice-calc)
command -v pdftotext >/dev/null 2>&1 || need_apt+=(poppler-utils)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK\|Noto Serif CJK" || need_apt+=(fonts-noto-cjk)
fc-list 2>/dev/null | grep -qi "Carlito" || need_apt+=(fonts-crosextra-carlito)  # Calibri's metrics, for the 汇总表 print scale
# the showcase site's browser test: Debian's chromium and its driver (on Ubuntu both are a snap, which cannot
# read the test's files in /tmp: the test is skipped there unless CASEBOT_CHROMIUM/CASEBOT_CHROMEDRIVER name a .deb browser)
if grep -qs '^ID=debian' /etc/os-release; then
  [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] || need_apt+=(chromium chromium-driver)
fi
PYTHON="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PYTHON" -c "import ensurepip, venv" 2>/dev/null || need_apt+=(python3-venv)
if [ ${#need_apt[@]} -gt 0 ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".[test]"

export PTB_TIMEDELTA=1
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy dialogs exporters bot
# the suite's wall time, then pytest's own closing line again, so that it stays the last line printed
log=$(mktemp)
trap 'rm -f "$log"' EXIT
started=$(date +%s)
status=0
.venv/bin/python -m pytest -q -n auto "$@" 2>&1 | tee "$log" || status=$?
elapsed=$(( $(date +%s) - started ))
printf '\npytest 用时 %d 分 %02d 秒（%d 秒）\n' $((elapsed / 60)) $((elapsed % 60)) "$elapsed"
grep -E '(passed|failed|error|no tests ran)' "$log" | tail -n 1 || true
exit "$status"
