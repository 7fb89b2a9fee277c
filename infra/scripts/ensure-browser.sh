#!/usr/bin/env bash
# The browser tests drive Debian's Chromium through Playwright (no browser download).
# Everything both need is named here, and both are started once, so that a missing
# piece shows up now with its name instead of as a failing browser test.
set -euo pipefail
cd "$(dirname "$0")/../.."
source infra/scripts/lib.sh

# Playwright's driver is a Node.js binary inside the Python wheel; it links
# libatomic1 and libstdc++6, which a minimal Debian lacks (Redis's packages
# bring libatomic1 along, so a machine with Redis hides the gap).
# fonts-liberation: Chromium only recommends fonts; without any, pages and
# the tests' screenshots have no readable text.
apt_ensure chromium libatomic1 libstdc++6 fonts-liberation

chromium --headless --no-sandbox --disable-gpu --version >/dev/null \
  || die "Chromium (/usr/bin/chromium) does not start; see the error above."
.venv/bin/python -m playwright --version >/dev/null \
  || die "Playwright's driver (.venv/.../playwright/driver/node) does not start; see the error above."
