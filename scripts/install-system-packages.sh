#!/usr/bin/env bash
# Install the Debian packages the portal needs, only those missing.
#   scripts/install-system-packages.sh run    -> what `make run` needs
#   scripts/install-system-packages.sh test   -> plus PostgreSQL server, Chromium, Node/npm
set -euo pipefail

# WeasyPrint renders Chinese only with a CJK font; without libharfbuzz-subset0 a
# Chinese page takes seconds instead of tens of milliseconds; poppler-utils gives
# pdffonts/pdftotext, which tests and staff use to check generated PDFs; gettext's
# msgfmt compiles the project's translation catalogue.
packages=(libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk poppler-utils gettext)
# Stock Debian's python3 has no venv/ensurepip until python3-venv is installed.
if ! python3 -c "import ensurepip" >/dev/null 2>&1; then
  packages+=(python3-venv)
fi
if [ "${1:-run}" = "test" ]; then
  packages+=(postgresql-15 redis-server chromium nodejs npm nginx libnginx-mod-http-cache-purge wrk)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    # nodejs/npm may come from outside Debian (e.g. a preinstalled Node): accept the binaries.
    case "$p" in
      nodejs) command -v node >/dev/null && continue ;;
      npm) command -v npm >/dev/null && continue ;;
    esac
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "Installing system packages: ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
