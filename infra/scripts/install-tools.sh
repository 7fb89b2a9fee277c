#!/usr/bin/env bash
# Creates .venv-tools with checkov (the Terraform and Dockerfile checks of `make test`).
# Its own environment: checkov pins older versions of packages the project's lock
# file needs newer (packaging, cachetools, ...), so it cannot share .venv.
set -euo pipefail
cd "$(dirname "$0")/../.."
source infra/scripts/lib.sh

CHECKOV_VERSION=3.3.30
PYTHON=${PYTHON:-$(command -v python3.11 || command -v python3)}

if [ ! -x .venv-tools/bin/pip ]; then
  rm -rf .venv-tools
  "$PYTHON" -m venv .venv-tools || die "$PYTHON cannot make a virtual environment for checkov."
fi
if [[ "$(.venv-tools/bin/checkov --version 2>/dev/null)" != "$CHECKOV_VERSION" ]]; then
  say "installing checkov $CHECKOV_VERSION into .venv-tools"
  .venv-tools/bin/python -m pip install --quiet --disable-pip-version-check "checkov==$CHECKOV_VERSION"
fi
