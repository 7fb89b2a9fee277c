#!/usr/bin/env bash
# The browser tests drive Debian's Chromium through Playwright (no browser download).
set -euo pipefail
cd "$(dirname "$0")/../.."
source infra/scripts/lib.sh

command -v chromium >/dev/null || apt_install chromium
