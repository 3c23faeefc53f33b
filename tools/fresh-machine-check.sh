#!/usr/bin/env bash
# Tries the README's two commands as a new user would, on fresh minimal Debian
# installations: debootstrap --variant=minbase, a git clone of the current commit,
# then, as root in a chroot with a clean environment (env -i):
#
#   1. bash bootstrap.sh test   everything installs, lint, types and every test pass
#   2. bash bootstrap.sh run    no screen: the office server starts and answers
#                               GET http://127.0.0.1:8765/health; then it is stopped
#   3. bash bootstrap.sh test   again: installs nothing, and passes
#
#   sudo bash tools/fresh-machine-check.sh [bookworm] [trixie]   (default: both)
#
# Each release runs in a network namespace of its own, which reaches the
# registries through slirp4netns: its loopback is its own, so the tests' zeroconf
# neither hears nor disturbs other programs on this machine (another test suite),
# and nothing is announced on this machine's network.
#
# Needs root (debootstrap, chroot, mounts, namespaces), about 4 GB in /var/tmp and
# a network that reaches deb.debian.org and PyPI; takes 15 to 30 minutes. Not
# part of CI.
# The base systems are kept in $work/base and reused (remove them to take new
# ones); each release's last root stays in $work/root for a look inside.
set -euo pipefail

repo=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
work=${MOTCUA_FRESH_DIR:-/var/tmp/motcua-fresh}
mirror=${MOTCUA_DEBIAN_MIRROR:-http://deb.debian.org/debian}
releases=("$@")
[ ${#releases[@]} -gt 0 ] || releases=(bookworm trixie)

say() { printf '\033[1mfresh-machine:\033[0m %s\n' "$*"; }

if [ "$(id -u)" -ne 0 ]; then
  say "needs root (debootstrap, chroot and mounts): sudo bash $0 ${releases[*]}"
  exit 1
fi
tools=()
command -v debootstrap >/dev/null || tools+=(debootstrap)
command -v slirp4netns >/dev/null || tools+=(slirp4netns)
if [ ${#tools[@]} -gt 0 ]; then
  say "installing ${tools[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${tools[@]}" >/dev/null
fi
commit=$(git -C "$repo" rev-parse HEAD)
if [ -n "$(git -C "$repo" status --porcelain --untracked-files=no)" ]; then
  say "note: $repo has uncommitted changes; the check clones the commit ${commit:0:10}, without them"
fi
mkdir -p "$work/base" "$work/root" "$work/logs"

# Mounts made in a root, newest last, so that they are undone in reverse order.
mounted=()
unmount_all() {
  local i
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
    umount "${mounted[$i]}" 2>/dev/null || umount -l "${mounted[$i]}" || true
  done
  mounted=()
}
server_group=""
stop_server() {
  if [ -n "$server_group" ]; then
    kill -INT -- "-$server_group" 2>/dev/null || true
    local waited=0
    while kill -0 -- "-$server_group" 2>/dev/null && [ $waited -lt 20 ]; do
      sleep 0.5; waited=$((waited + 1))
    done
    kill -KILL -- "-$server_group" 2>/dev/null || true
    server_group=""
  fi
}
netns=""
slirp=""
# A network namespace with its own loopback and user-mode NAT to the outside.
open_netns() {
  netns=motcua-fresh-$1
  ip netns del "$netns" 2>/dev/null || true
  ip netns add "$netns"
  ip -n "$netns" link set lo up
  slirp4netns --configure --mtu=65520 --disable-host-loopback \
    --netns-type=path "/run/netns/$netns" tap0 >"$2" 2>&1 &
  slirp=$!
  local waited=0
  until [[ $(ip -n "$netns" -4 -o addr show tap0 2>/dev/null) == *inet* ]]; do
    [ $waited -lt 50 ] || { say "slirp4netns did not start (see $2)"; exit 1; }
    sleep 0.2; waited=$((waited + 1))
  done
}
close_netns() {
  [ -z "$slirp" ] || { kill "$slirp" 2>/dev/null || true; wait "$slirp" 2>/dev/null || true; }
  [ -z "$netns" ] || ip netns del "$netns" 2>/dev/null || true
  slirp="" netns=""
}
cleanup() { stop_server; unmount_all; close_netns; }
trap cleanup EXIT
trap 'exit 130' INT TERM

mount_into() {
  local root=$1
  mount -t proc proc "$root/proc" && mounted+=("$root/proc")
  mount -t sysfs sysfs "$root/sys" && mounted+=("$root/sys")
  mount --bind /dev "$root/dev" && mounted+=("$root/dev")
  mount --bind /dev/pts "$root/dev/pts" && mounted+=("$root/dev/pts")
  mount -t tmpfs -o mode=1777 shm "$root/dev/shm" && mounted+=("$root/dev/shm")
}
# Never delete a root that still has something mounted in it (its /dev is the host's).
remove_root() {
  local root=$1
  [ -e "$root" ] || return 0
  local targets
  targets=$(findmnt -rn -o TARGET)
  if [[ $'\n'$targets == *$'\n'"$root/"* ]]; then
    say "something is still mounted under $root; not removing it"
    exit 1
  fi
  rm -rf --one-file-system "$root"
}

# A command in the root as a new user would type it: root's login, a clean
# environment (env -i) but for the VAR=value words given, in the clone.
#   root_command ROOT [VAR=value...] COMMAND...   sets the array cmd
root_command() {
  local root=$1; shift
  local vars=()
  while [[ ${1:-} == *=* ]]; do vars+=("$1"); shift; done
  cmd=(nsenter "--net=/run/netns/$netns" env -i HOME=/root "TERM=${TERM:-dumb}"
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "${vars[@]}"
    chroot "$root" /bin/bash -c 'cd /root/motcua && exec "$@"' bash "$@")
}
in_root() {
  local cmd
  root_command "$@"
  "${cmd[@]}"
}

# Whether a server answers GET /health on 127.0.0.1:8765 in the namespace, with bash alone.
health_ok() {
  local reply
  # shellcheck disable=SC2016 # expanded by the inner bash
  reply=$(nsenter "--net=/run/netns/$netns" bash -c '
    exec 2>/dev/null 3<>/dev/tcp/127.0.0.1/8765 || exit 1
    printf "GET /health HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n" >&3
    timeout 5 cat <&3') || return 1
  [[ $reply == "HTTP/1."?" 200"* ]]
}

summary=()
failed=0
# One line per step: what, outcome, how long, a detail.
report() {
  local line
  line=$(printf '  %-34s %-7s %5ss  %s' "$1" "$2" "$3" "$4")
  summary+=("$line")
  echo "$line"
  [ "$2" = passed ] || [ "$2" = cached ] || [ "$2" = made ] || failed=1
}
pytest_result() { grep -aE '^=+ .*(passed|failed|error).* =+$' "$1" | tail -n1 | sed 's/^=* //; s/ =*$//'; }
set_up_lines() { grep -acE '^(.\[1m)?motcua:(.\[0m)? (updating|installing|creating)' "$1" || true; }

check_release() {
  local release=$1 name base root logs start t status
  case "$release" in
    bookworm) name="Debian 12 (bookworm)" ;;
    trixie) name="Debian 13 (trixie)" ;;
    *) name="Debian $release" ;;
  esac
  base=$work/base/$release
  root=$work/root/$release
  logs=$work/logs/$release
  mkdir -p "$logs"
  summary+=("$name, motcua ${commit:0:10}, $(date -u '+%Y-%m-%d %H:%M UTC')")
  say "$name: logs in $logs"

  start=$SECONDS
  if [ -d "$base" ]; then
    report "base system (debootstrap minbase)" cached 0 "$base"
  else
    say "$name: debootstrap --variant=minbase from $mirror"
    remove_root "$base.partial"
    if debootstrap --variant=minbase "$release" "$base.partial" "$mirror" >"$logs/debootstrap.log" 2>&1; then
      mv "$base.partial" "$base"
      report "base system (debootstrap minbase)" made $((SECONDS - start)) "$base"
    else
      report "base system (debootstrap minbase)" failed $((SECONDS - start)) "see $logs/debootstrap.log"
      return
    fi
  fi

  remove_root "$root"
  cp -a "$base" "$root"
  # slirp4netns forwards DNS to this machine's resolver at 10.0.2.3.
  echo "nameserver 10.0.2.3" >"$root/etc/resolv.conf"
  # This machine's own certificate authorities, as a network that inspects TLS
  # needs (most have none): ca-certificates, installed with Python, adds them.
  if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
    mkdir -p "$root/usr/local/share/ca-certificates"
    cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
  fi
  git clone -q "$repo" "$root/root/motcua"
  git -C "$root/root/motcua" checkout -q "$commit"
  mount_into "$root"
  open_netns "$release" "$logs/slirp4netns.log"

  say "$name: bash bootstrap.sh test (output in $logs/test.log)"
  t=$SECONDS
  if in_root "$root" bash bootstrap.sh test >"$logs/test.log" 2>&1; then status=passed; else status=failed; fi
  report "bash bootstrap.sh test" $status $((SECONDS - t)) "$(pytest_result "$logs/test.log")"

  say "$name: bash bootstrap.sh run, no screen (output in $logs/run.log)"
  t=$SECONDS
  # Own process group, so that the server and anything it starts stop together;
  # zeroconf kept to loopback, so that nothing is announced on this machine's network.
  local cmd
  root_command "$root" MOTCUA_ZEROCONF_INTERFACES=127.0.0.1 bash bootstrap.sh run
  setsid "${cmd[@]}" >"$logs/run.log" 2>&1 </dev/null &
  server_group=$!
  local answered=""
  while [ $((SECONDS - t)) -lt 90 ] && kill -0 "$server_group" 2>/dev/null; do
    if health_ok; then answered=$((SECONDS - t)); break; fi
    sleep 1
  done
  # A few seconds of serving, then Ctrl+C as a person would.
  [ -z "$answered" ] || sleep 3
  stop_server
  local installs
  installs=$(set_up_lines "$logs/run.log")
  if [ -z "$answered" ]; then
    report "bash bootstrap.sh run" failed $((SECONDS - t)) "no answer on http://127.0.0.1:8765/health"
  elif [ "$installs" -ne 0 ]; then
    report "bash bootstrap.sh run" failed $((SECONDS - t)) "installed something again ($installs lines)"
  else
    local stopped="stopped"
    grep -q "server stopped" "$logs/run.log" && stopped="stopped cleanly by Ctrl+C"
    report "bash bootstrap.sh run" passed $((SECONDS - t)) "/health answered after ${answered}s; $stopped"
  fi

  say "$name: bash bootstrap.sh test, a second time (output in $logs/test-again.log)"
  t=$SECONDS
  if in_root "$root" bash bootstrap.sh test >"$logs/test-again.log" 2>&1; then status=passed; else status=failed; fi
  local installs before
  installs=$(set_up_lines "$logs/test-again.log")
  before=$(grep -m1 -anE '^(.\[1m)?motcua:(.\[0m)? lint' "$logs/test-again.log" | cut -d: -f1)
  if [ "$installs" -ne 0 ]; then
    status=failed
    report "bash bootstrap.sh test (again)" $status $((SECONDS - t)) "installed something again ($installs lines)"
  else
    report "bash bootstrap.sh test (again)" $status $((SECONDS - t)) "installed nothing ($((${before:-1} - 1)) set-up lines); $(pytest_result "$logs/test-again.log")"
  fi
  summary+=("  total $((SECONDS - start))s")
  close_netns
  unmount_all
}

# Read whole before it starts: an edit to this file during a run does not change it.
main() {
  local release
  for release in "${releases[@]}"; do
    check_release "$release"
  done
  echo
  say "summary"
  printf '%s\n' "${summary[@]}" | tee "$work/logs/summary.txt"
  exit $failed
}
main
