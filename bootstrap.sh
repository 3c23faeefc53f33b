#!/usr/bin/env bash
# Set up motcua on a fresh Debian/Ubuntu machine, then run it or its tests.
#
#   bash bootstrap.sh run     install what is missing, then open the demo office
#   bash bootstrap.sh test    install what is missing, then run every check CI runs
#   bash bootstrap.sh central install PostgreSQL and motcua, then run the province's
#                             central server on the database "motcua" (docs/central.md)
#
# Installs only what is missing: system packages through apt (with sudo when not
# root), a virtual environment in .venv, and motcua itself (editable) into it.
# Works on Debian 12 and 13 and Ubuntu 22.04 and 24.04. apt's and pip's own output
# goes to bootstrap.log, shown when something fails; the second run installs nothing.
set -euo pipefail
cd "$(dirname "$0")"
mode=${1:-run}
[ $# -gt 0 ] && shift
case "$mode" in
  run | test | central) ;;
  *)
    echo "usage: bash bootstrap.sh run|test|central [arguments]" >&2
    exit 2
    ;;
esac

say() { printf '\033[1mmotcua:\033[0m %s\n' "$*"; }

# Outside .venv, so that it also keeps what apt said before .venv exists.
log=bootstrap.log
log_started=no
# Runs a command with its output in the log; on failure shows the log's end and stops.
quietly() {
  if [ "$log_started" = no ]; then
    : >"$log"
    log_started=yes
  fi
  echo "\$ $*" >>"$log"
  if ! "$@" >>"$log" 2>&1; then
    say "this step failed: $*"
    say "the last lines of $log (the whole output is there):"
    tail -n 25 "$log" | sed 's/^/    /' >&2
    exit 1
  fi
}

# Qt's runtime libraries (offscreen and X11; libxrandr2 for Qt's FFmpeg media
# plugin, without which QMediaPlayer is "Not available"; libgssapi-krb5-2 for
# QtNetwork since PySide6 6.12), speech, fonts with every Vietnamese glyph, the
# USB printer library, and Xvfb: an X server with no window manager, where the tests
# check full screen as a bare kiosk box has it. "new|old" names a library whose package was renamed for
# 64-bit time (Debian 13, Ubuntu 24.04): either name counts as installed.
packages=(
  espeak-ng sox fonts-dejavu-core libusb-1.0-0 sqlite3
  libegl1 libgl1 libfontconfig1 libdbus-1-3 "libglib2.0-0t64|libglib2.0-0"
  libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1
  libxcb-shape0 libxcb-xinerama0 libxcb-randr0 libxcb-render-util0 libxcb-image0
  libxrandr2 libgssapi-krb5-2 "libasound2t64|libasound2" libpulse0
  xvfb
)
# The tests open the citizen's pages in a real browser: Debian's chromium, driven by
# Playwright, whose driver (a Node.js binary) needs libatomic.
[ "$mode" = test ] && packages+=("chromium|chromium-browser" libatomic1)
# The province's central server keeps the sites' logs in PostgreSQL; the tests start a
# PostgreSQL of their own (tests/postgres.py) and check our catalogues with gettext's
# msgfmt.
[ "$mode" = test ] && packages+=(postgresql gettext)
[ "$mode" = central ] && packages+=(postgresql)

# Each reads a command's whole output before matching: with pipefail, grep -q
# closing the pipe early would fail the command (SIGPIPE) and so the test.
installed() { [[ $(dpkg-query -W -f='${Status}' "$1" 2>/dev/null) == *"ok installed" ]]; }
installed_any() {
  local name
  for name in ${1//|/ }; do installed "$name" && return 0; done
  return 1
}
# apt's messages are translated: read them in English.
has_candidate() {
  local policy
  policy=$(LC_ALL=C apt-cache policy "$1" 2>/dev/null) || return 1
  [[ $policy == *"Candidate: "[0-9]* ]]
}
# The first of "new|old" that apt can install here (the last one if apt knows neither).
installable() {
  local name
  for name in ${1//|/ }; do has_candidate "$name" && { echo "$name"; return 0; }; done
  echo "$name"
}

python_ok() { "$1" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; }
find_python() {
  local candidate
  for candidate in python3 python3.13 python3.12 python3.11; do
    if command -v "$candidate" >/dev/null && python_ok "$candidate"; then
      echo "$candidate"; return 0
    fi
  done
  return 1
}
# Debian and Ubuntu ship ensurepip, which venv needs, in python3.X-venv.
venv_ok() { "$1" -c 'import ensurepip, venv' 2>/dev/null; }
# The system Python, unless apt's is older than 3.11: then python3.11 beside it (Ubuntu 22.04).
python_packages() {
  local version
  version=$(LC_ALL=C apt-cache policy python3 2>/dev/null | sed -n 's/^  Candidate: \([0-9]*:\)\{0,1\}\([0-9]*\.[0-9]*\).*/\2/p')
  if [ -n "$version" ] && [ "$(printf '%s\n3.11\n' "$version" | sort -V | head -n1)" != 3.11 ]; then
    echo python3.11 python3.11-venv
  else
    echo python3 python3-venv
  fi
}

missing=()
for package in "${packages[@]}"; do
  installed_any "$package" || missing+=("$package")
done
need_python=no
if python=$(find_python); then
  if ! venv_ok "$python"; then
    if [ "$python" = python3 ]; then
      missing+=(python3-venv)
    else
      missing+=("$python-venv")
    fi
  fi
else
  need_python=yes
fi

if [ ${#missing[@]} -gt 0 ] || [ "$need_python" = yes ]; then
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null; then
      sudo=(sudo)
    else
      # Name the packages from apt's current lists, as well as they can be known without root.
      wanted=()
      for package in "${missing[@]}"; do wanted+=("$(installable "$package")"); done
      [ "$need_python" = yes ] && read -ra python_names <<<"$(python_packages)" && wanted+=("${python_names[@]}")
      say "some system packages are missing, and installing them needs root (there is no sudo here)."
      say "Run this once as root, then this command again:"
      echo "    apt-get update && apt-get install -y --no-install-recommends ${wanted[*]}"
      exit 1
    fi
  fi
  say "updating apt's package lists (output in $log)"
  quietly "${sudo[@]}" apt-get update
  wanted=()
  for package in "${missing[@]}"; do wanted+=("$(installable "$package")"); done
  if [ "$need_python" = yes ]; then
    read -ra python_names <<<"$(python_packages)"
    wanted+=("${python_names[@]}")
  fi
  say "installing system packages: ${wanted[*]}"
  quietly "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends "${wanted[@]}"
fi

python=$(find_python) || { say "Python 3.11 or newer is needed and could not be installed"; exit 1; }
if [ ! -x .venv/bin/python ] || ! python_ok .venv/bin/python; then
  say "creating the virtual environment .venv with $($python --version)"
  rm -rf .venv
  quietly "$python" -m venv .venv
fi

# One stamp for both modes: a line "<pyproject hash> test" serves run and test,
# "<pyproject hash> run" serves run. Reinstall only when the requirements changed.
stamp=.venv/.motcua-installed
hash=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ "$mode" = test ]; then
  grep -qxF "$hash test" "$stamp" 2>/dev/null && installed_here=yes || installed_here=no
else
  grep -qE "^$hash (run|test)$" "$stamp" 2>/dev/null && installed_here=yes || installed_here=no
fi
if [ "$installed_here" = no ]; then
  extra=""
  [ "$mode" = test ] && extra="[test]"
  say "installing motcua and its Python libraries$([ "$mode" = test ] && echo ' (with the test tools)') into .venv"
  # The distribution's pip can be old (22.0 beside Ubuntu 22.04's python3.11).
  quietly .venv/bin/python -m pip install --upgrade pip
  quietly .venv/bin/python -m pip install -e ".$extra"
  echo "$hash $mode" >"$stamp"
  say "ready. The motcua command is .venv/bin/motcua, e.g. .venv/bin/motcua pair --show"
  say "(or run 'source .venv/bin/activate' once in a terminal, then just: motcua pair --show)"
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
  central)
    # PostgreSQL's own tools (postgresql-common): start the cluster if the package's
    # installation could not (a container without systemd), then a role for this user
    # and the database "motcua", once.
    sudo=()
    as_postgres=(runuser -u postgres --)
    if [ "$(id -u)" -ne 0 ]; then
      sudo=(sudo)
      as_postgres=(sudo -u postgres)
    fi
    # From /, which the postgres user may read (this folder it may not).
    as_pg() { (cd / && "${as_postgres[@]}" "$@"); }
    cluster=$(pg_lsclusters --no-header 2>/dev/null | head -n1)
    if [ -z "$cluster" ]; then
      say "no PostgreSQL cluster here: making one"
      version=$(ls /usr/lib/postgresql | sort -V | tail -n1)
      quietly "${sudo[@]}" pg_createcluster "$version" main
      cluster=$(pg_lsclusters --no-header | head -n1)
    fi
    # Ver Cluster Port Status Owner …
    read -r version name _ status _ <<<"$cluster"
    if [[ $status != online* ]]; then
      say "starting PostgreSQL $version ($name)"
      quietly "${sudo[@]}" pg_ctlcluster "$version" "$name" start
    fi
    user=$(id -un)
    [ "$user" = root ] && say "running as root: the PostgreSQL role will be 'root'; a user of its own is better (docs/central.md)"
    # The name as a psql variable (:'user'), quoted by psql, not pasted into the SQL.
    if [ -z "$(as_pg psql -tA -v user="$user" <<<"SELECT 1 FROM pg_roles WHERE rolname = :'user'")" ]; then
      say "making the PostgreSQL role $user"
      quietly as_pg createuser "$user"
    fi
    if [ -z "$(as_pg psql -tAc "SELECT 1 FROM pg_database WHERE datname = 'motcua'")" ]; then
      say "making the database motcua, owned by $user"
      quietly as_pg createdb -O "$user" motcua
    fi
    say "starting the central server (Ctrl+C stops it); sites are added with:"
    say "  .venv/bin/motcua central site add ID \"NAME\" --database postgresql:///motcua"
    exec .venv/bin/motcua central serve --database postgresql:///motcua "$@"
    ;;
  test)
    say "lint (ruff), types (mypy --strict on shared, kiosk, counter, display), then the test suite"
    .venv/bin/ruff check .
    .venv/bin/mypy --strict shared kiosk counter display
    # Qt's FFmpeg plugin reports each optional library it does not find (PipeWire,
    # VA-API) at start: harmless, and read as errors. Installing libpipewire alone
    # instead makes QMediaDevices crash (PySide6 6.12, Debian 13) with no PipeWire running.
    export QT_LOGGING_RULES="${QT_LOGGING_RULES:+$QT_LOGGING_RULES;}qt.multimedia.symbolsresolver=false"
    QT_QPA_PLATFORM=offscreen exec .venv/bin/python -m pytest "$@"
    ;;
esac
