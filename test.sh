#!/usr/bin/env bash
# Runs every test of the portal (domain, endpoint, component and browser tests).
# Installs Debian's Chromium for the browser tests when it is missing (needs root, as on CI).
set -euo pipefail
cd "$(dirname "$0")"

if [ ! -x "${PORTAL_CHROMIUM:-/usr/bin/chromium}" ]; then
  echo "Chromium not found: installing Debian's chromium package..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
fi

# A test that hangs ends the run after 20 minutes (no single test comes close) instead of using up CI's time.
dotnet test Portal.sln -c Release --logger "console;verbosity=minimal" --blame-hang-timeout 20m --blame-hang-dump-type none "$@"
