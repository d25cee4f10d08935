#!/usr/bin/env bash
# Installs the Debian packages Centrex needs, only those missing, from the machine's own
# apt configuration. Usage: scripts/install-system.sh run|test
set -euo pipefail

# ffmpeg converts uploaded sounds, espeak-ng speaks prompts (docs/sounds.md).
want=(debootstrap ffmpeg espeak-ng)
# WeasyPrint (the billing report as PDF) draws text with Pango.
want+=(libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core)
# npm installs the portal's front-end packages (any npm will do: keep one already there).
command -v npm >/dev/null 2>&1 || want+=(npm)
if [ "${1:-run}" = "test" ]; then
  want+=(sip-tester postgresql chromium)
fi

missing=()
for pkg in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  sudo=sudo
else
  sudo=
fi
echo "Installing Debian packages: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
