#!/usr/bin/env bash
# Set up motcua on a fresh Debian/Ubuntu machine, then run it or its tests.
#
#   bash bootstrap.sh run     install what is missing, then open the demo office
#   bash bootstrap.sh test    install what is missing, then run every check CI runs
#
# Installs only what is missing: system packages through apt (with sudo when not
# root), a virtual environment in .venv, and motcua itself (editable) into it.
set -euo pipefail
cd "$(dirname "$0")"
mode=${1:-run}
[ $# -gt 0 ] && shift

say() { printf '\033[1mmotcua:\033[0m %s\n' "$*"; }

# Qt's runtime libraries (offscreen and X11), speech, fonts with every Vietnamese glyph.
packages=(
  python3 python3-venv espeak-ng sox fonts-dejavu-core libusb-1.0-0 sqlite3
  libegl1 libgl1 libfontconfig1 libdbus-1-3 libglib2.0-0 libxkbcommon0 libxkbcommon-x11-0
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0
  libxcb-randr0 libxcb-render-util0 libxcb-image0 libasound2 libpulse0
)

python_ok() { "$1" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; }
find_python() {
  for candidate in python3 python3.13 python3.12 python3.11; do
    if command -v "$candidate" >/dev/null && python_ok "$candidate"; then
      echo "$candidate"; return 0
    fi
  done
  return 1
}

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
done
find_python >/dev/null || missing+=(python3.11 python3.11-venv)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  say "installing system packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

python=$(find_python) || { say "Python 3.11 or newer is needed and could not be installed"; exit 1; }
if [ ! -x .venv/bin/python ] || ! python_ok .venv/bin/python; then
  say "creating the virtual environment .venv with $($python --version)"
  rm -rf .venv
  "$python" -m venv .venv
fi

# Reinstall only when the project's requirements changed.
stamp=.venv/.motcua-installed
wanted="$(sha256sum pyproject.toml | cut -d' ' -f1) $mode"
if [ ! -f "$stamp" ] || ! grep -qxF "$wanted" "$stamp"; then
  say "installing motcua and its libraries into .venv"
  extra=""
  [ "$mode" = test ] && extra="[test]"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".$extra"
  echo "$wanted" >> "$stamp"
fi

case "$mode" in
  run)
    if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
      say "no screen here (no DISPLAY): starting the office server alone (Ctrl+C stops it)."
      say "On a desktop, the same command opens the whole demo office."
      exec .venv/bin/motcua serve "$@"
    fi
    say "opening the demo office: server, kiosk, two counters and the hall display"
    exec .venv/bin/motcua demo "$@"
    ;;
  test)
    say "lint (ruff), types (mypy --strict shared/), then the test suite"
    .venv/bin/ruff check .
    .venv/bin/mypy --strict shared
    QT_QPA_PLATFORM=offscreen exec .venv/bin/python -m pytest "$@"
    ;;
  *)
    echo "usage: bash bootstrap.sh run|test [arguments]" >&2
    exit 2
    ;;
esac
