#!/usr/bin/env bash
# Creates .venv with Python 3.11 and installs the locked dependencies (uv.lock) into it.
set -euo pipefail
cd "$(dirname "$0")/../.."
source infra/scripts/lib.sh

UV_VERSION=0.13.9
PYTHON=${PYTHON:-$(command -v python3.11 || command -v python3)}
"$PYTHON" -c 'import sys; assert sys.version_info[:2] == (3, 11), sys.version' \
  || { echo "Rathaus needs Python 3.11 (set PYTHON=...)" >&2; exit 1; }

if [ ! -x .venv/bin/pip ]; then
  rm -rf .venv
  if ! "$PYTHON" -m venv .venv >/dev/null 2>&1; then
    rm -rf .venv
    # Debian ships venv and ensurepip apart from the interpreter: a fresh
    # machine with Debian's python3.11 alone has neither.
    apt_install python3.11-venv
    "$PYTHON" -m venv .venv || die "$PYTHON cannot make a virtual environment (see above)."
  fi
fi
if [[ "$(.venv/bin/python -m uv --version 2>/dev/null)" != "uv $UV_VERSION "* ]]; then
  say "installing uv $UV_VERSION"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check "uv==$UV_VERSION"
fi
say "installing locked Python dependencies"
# --inexact keeps uv and pip, which live in the same environment. --compile-bytecode:
# every process (web, worker, the tests' servers) then starts from .pyc files, also
# where PYTHONDONTWRITEBYTECODE keeps Python from caching them itself (it did here:
# each new process spent half a minute compiling Django and its libraries).
UV_PYTHON_DOWNLOADS=never .venv/bin/python -m uv sync --frozen --inexact --quiet \
  --compile-bytecode --python .venv/bin/python
