#!/usr/bin/env bash
# Prints the path of a working Python 3.10 interpreter, the version Rasa 3.6 runs on
# (Rasa Open Source 3.6 supports Python 3.8-3.10 only).
#
# Looks at, in order: $PYTHON310, a real python3.10 on PATH (pyenv's shim on PATH fails
# unless 3.10 is selected, so every candidate is run, not just found), pyenv's installed
# versions, and uv's managed interpreters. Exits 1 with what to do when there is none.
set -uo pipefail

works() {
  [ -n "$1" ] && [ -x "$1" ] || return 1
  "$1" -c 'import sys, venv; sys.exit(0 if sys.version_info[:2] == (3, 10) else 1)' >/dev/null 2>&1
}

candidates=()
[ -n "${PYTHON310:-}" ] && candidates+=("$PYTHON310")
p=$(command -v python3.10 2>/dev/null) && candidates+=("$p")
for p in /usr/bin/python3.10 /usr/local/bin/python3.10; do candidates+=("$p"); done
pyenv_root=$(pyenv root 2>/dev/null || echo "${PYENV_ROOT:-$HOME/.pyenv}")
for p in $(ls -d "$pyenv_root"/versions/3.10.*/bin/python 2>/dev/null | sort -t. -k3 -n -r); do
  candidates+=("$p")
done
if command -v uv >/dev/null 2>&1; then
  p=$(uv python find 3.10 2>/dev/null) && candidates+=("$p")
fi

for p in "${candidates[@]}"; do
  if works "$p"; then echo "$p"; exit 0; fi
done

if [ -n "${PYTHON310:-}" ]; then
  echo "PYTHON310=$PYTHON310 is not a working Python 3.10 with the venv module." >&2
fi
cat >&2 <<'MSG'
No Python 3.10 found. The assistant runs on Rasa Open Source 3.6, which supports Python 3.8-3.10 only.
Install one of these, then run the command again:
  - Debian/Ubuntu:  apt-get install python3.10 python3.10-venv   (on Ubuntu via the deadsnakes PPA)
  - pyenv:          pyenv install 3.10.13
  - uv:             uv python install 3.10
or point to an existing interpreter:  PYTHON310=/path/to/python3.10 make run
MSG
exit 1
