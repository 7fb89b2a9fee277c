#!/usr/bin/env bash
# Installs the front-end packages from package-lock.json into node_modules
# (KERN UX, served by the app; axe-core for the browser tests).
set -euo pipefail
cd "$(dirname "$0")/../.."
source infra/scripts/lib.sh

# Debian's own Node.js and npm where the machine has none (a fresh Debian has neither).
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  apt_install nodejs npm
fi
say "installing locked front-end packages (npm ci)"
npm ci --no-audit --no-fund --loglevel=error >/dev/null
[ -f node_modules/@kern-ux/native/dist/kern.min.css ] \
  || die "npm ci ran, but node_modules/@kern-ux/native/dist/kern.min.css is missing."
