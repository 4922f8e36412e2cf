#!/usr/bin/env bash
# Every test of the product, in the order that fails fastest: unit tests (seconds), then the
# assistant's data checks, training and test stories, then the production stores against real
# PostgreSQL and Redis servers, then the whole product end to end, in a real browser.
# Installs what it needs first, Debian packages included. `make test` runs this; so does CI.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

BOT=.venvs/bot/bin
SVC=.venvs/handoff/bin
export SQLALCHEMY_SILENCE_UBER_WARNING=1 TF_CPP_MIN_LOG_LEVEL=2 RASA_TELEMETRY_ENABLED=false
services_dir=$(mktemp -d /tmp/northwind-services.XXXXXX)
trap 'scripts/services.sh stop "$services_dir"' EXIT

step "Installing system packages, environments and the spaCy pipeline"
scripts/install.sh system
make --no-print-directory install

step "Lint: ruff and mypy"
make --no-print-directory lint

step "Starting PostgreSQL and Redis on loopback"
scripts/services.sh start "$services_dir"
# shellcheck disable=SC1091
. "$services_dir/env"

step "Unit tests: actions, assistant components and the shared contract (Python 3.10)"
$BOT/python -m pytest tests/contract tests/actions tests/assistant tests/production -q

step "Understanding benchmarks in smoke mode (they print numbers; this keeps them working)"
$BOT/python -m pytest tests/bench -q

step "Unit and service tests: handoff service, SQLite and PostgreSQL, the launcher"
$SVC/python -m pytest tests/contract tests/handoff tests/scripts -q

step "Assistant: validate data, train, run the test stories"
make --no-print-directory test-bot

step "End to end: the real assistant, action server and handoff service; scripted clients and Chromium"
$SVC/python -m pytest tests/e2e tests/browser
