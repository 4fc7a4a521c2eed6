#!/usr/bin/env bash
# run-in-cgroup.sh LIMIT -- COMMAND [ARGS...]
#
# Runs COMMAND in a fresh memory cgroup limited to LIMIT (268435456, 512K,
# 256M, 1G, 2T; binary units, optionally written Mi/MiB/MB, all x1024),
# removes that cgroup afterwards (also when COMMAND fails, is killed, or on
# Ctrl-C/SIGTERM) and exits with COMMAND's exit status (137 = SIGKILL, which is
# what the kernel OOM killer sends).
#
# The cgroup is created below the caller's own memory cgroup, so any limit the
# caller is already under (e.g. its container's) still applies on top:
#   cgroup v1: <memory mount>/<own path>/headroom-run-<pid>, memory.limit_in_bytes
#              (+ memory.memsw.limit_in_bytes when present, so swap cannot hide
#              the limit).
#   cgroup v2: <own>/headroom-run-<pid>, memory.max (+ memory.swap.max=0 when
#              present). Because of the "no internal processes" rule, when the
#              own cgroup does not yet delegate the memory controller and
#              still holds processes, those processes (this script's callers
#              included) are moved into the leaf <own>/headroom-leaf first;
#              that leaf is left in place afterwards.
# Without a writable memory cgroup (not root, read-only cgroupfs) it falls back
# to `systemd-run [--user] --scope -p MemoryMax=LIMIT`; if that is not possible
# either, it prints one line saying why and exits 125.
#
# COMMAND gets HEADROOM_CGROUP_DIR=<absolute cgroup directory> in its
# environment (so it can read memory.max / memory.events etc.). Nothing is
# printed on success; HEADROOM_RUN_VERBOSE=1 prints the cgroup directory used
# to stderr.
#
# Exit status: COMMAND's, or 125 when no memory cgroup could be made / usage
# error (125 is also what COMMAND itself may return, as with `env`/`timeout`).
set -euo pipefail

PROG=headroom-run
die() { echo "$PROG: $*" >&2; exit 125; }

usage() { sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//' >&2; exit 125; }

if [ $# -lt 3 ] || [ "$2" != "--" ]; then usage; fi
LIMIT_ARG=$1
shift 2

# ------------------------------------------------------------ limit parsing
to_bytes() {
  local n mult
  [[ $1 =~ ^([0-9]+)([kKmMgGtT](i|iB|B)?)?$ ]] || return 1
  n=$((10#${BASH_REMATCH[1]}))   # 10#: leading zeros are not octal
  case ${BASH_REMATCH[2]:0:1} in
    '') mult=1 ;; k|K) mult=1024 ;; m|M) mult=$((1024 ** 2)) ;;
    g|G) mult=$((1024 ** 3)) ;; t|T) mult=$((1024 ** 4)) ;;
  esac
  [ "$n" -gt 0 ] || return 1
  echo $((n * mult))
}
LIMIT=$(to_bytes "$LIMIT_ARG") || die "invalid LIMIT '$LIMIT_ARG' (want e.g. 268435456, 256M, 1G)"

# ------------------------------------------------------- cgroup discovery
# mountinfo escapes blanks etc. as \ooo octal; printf %b decodes them.
unescape() { printf '%b' "$1"; }

# Prints "ROOT MOUNTPOINT" of every mount whose fstype is $1 and, when $2 is
# given, whose comma-separated super options contain $2.
mounts_of() {
  awk -v want="$1" -v opt="${2:-}" '{
    for (i = 7; i <= NF && $i != "-"; i++) ;
    if ($(i + 1) != want) next
    if (opt != "" && index("," $(i + 3) ",", "," opt ",") == 0) next
    print $4, $5
  }' /proc/self/mountinfo
}

# own_path CONTROLLER: our cgroup path for that v1 controller ("" = v2 line).
own_path() {
  local id ctrls path c
  while IFS=: read -r id ctrls path; do
    if [ -z "$1" ]; then
      [ "$id" = 0 ] && [ -z "$ctrls" ] && { echo "$path"; return 0; }
    else
      IFS=, read -r -a c <<< "$ctrls"
      for x in "${c[@]}"; do [ "$x" = "$1" ] && { echo "$path"; return 0; }; done
    fi
  done < /proc/self/cgroup
  return 1
}

# join MOUNTROOT MOUNTPOINT PATH: directory of PATH under that mount, or fail
# when PATH is not visible below the mount's root (e.g. a bind-mounted subtree).
join_mount() {
  local root mnt path
  root=$(unescape "$1") mnt=$(unescape "$2") path=$3
  mnt=${mnt%/}
  if [ "$root" = / ]; then echo "$mnt$path"
  elif [ "$path" = "$root" ]; then echo "$mnt"
  elif [ "${path#"$root"/}" != "$path" ]; then echo "$mnt/${path#"$root"/}"
  else return 1; fi
}

REASONS=()
VERSION='' PARENT=''

find_v1() {
  local path root mnt dir
  path=$(own_path memory) || { REASONS+=("no memory line in /proc/self/cgroup"); return 1; }
  while read -r root mnt; do
    [ -n "$mnt" ] || continue
    dir=$(join_mount "$root" "$mnt" "$path") || continue
    dir=${dir%/}
    [ -d "$dir" ] || continue
    if [ -w "$dir" ]; then VERSION=1 PARENT=$dir; return 0; fi
    REASONS+=("cgroup v1 memory cgroup $dir is not writable (uid $(id -u))")
    return 1
  done <<< "$(mounts_of cgroup memory)"
  REASONS+=("our v1 memory cgroup $path is not visible under any memory mount")
  return 1
}

find_v2() {
  local path root mnt dir
  path=$(own_path "") || { REASONS+=("no cgroup v2 line in /proc/self/cgroup"); return 1; }
  while read -r root mnt; do
    [ -n "$mnt" ] || continue
    dir=$(join_mount "$root" "$mnt" "$path") || continue
    dir=${dir%/}
    [ -d "$dir" ] || continue
    # Hybrid hosts mount a controller-less cgroup2 (e.g. /sys/fs/cgroup/unified).
    grep -qw memory "$dir/cgroup.controllers" 2>/dev/null || continue
    if [ -w "$dir" ]; then VERSION=2 PARENT=$dir; return 0; fi
    REASONS+=("cgroup v2 cgroup $dir is not writable (uid $(id -u))")
    return 1
  done <<< "$(mounts_of cgroup2)"
  REASONS+=("no cgroup2 mount with the memory controller for $path")
  return 1
}

# v2: the memory controller must be enabled in PARENT's subtree_control, which
# the kernel refuses while PARENT itself holds processes (unless it is the root).
v2_delegate_memory() {
  # Already moved into our leaf by an earlier run: its parent delegates memory,
  # so create the new cgroup beside the leaf (else every run would nest deeper).
  if [ "${PARENT##*/}" = headroom-leaf ] && grep -qw memory "${PARENT%/*}/cgroup.subtree_control" 2>/dev/null \
     && [ -w "${PARENT%/*}" ]; then
    PARENT=${PARENT%/*}
    return 0
  fi
  local sc=$PARENT/cgroup.subtree_control leaf=$PARENT/headroom-leaf p
  grep -qw memory "$sc" && return 0
  echo +memory > "$sc" 2>/dev/null && return 0
  mkdir -p "$leaf" || return 1
  for _ in 1 2 3 4 5; do
    # Processes may fork while we move them: repeat until the write succeeds.
    while read -r p; do echo "$p" > "$leaf/cgroup.procs" 2>/dev/null || true; done < "$PARENT/cgroup.procs"
    echo +memory > "$sc" 2>/dev/null && return 0
    sleep 0.05
  done
  return 1
}

if [ -n "$(mounts_of cgroup memory)" ]; then find_v1 || true; else find_v2 || true; fi
if [ "$VERSION" = 2 ] && ! v2_delegate_memory; then
  REASONS+=("cannot enable the memory controller in $PARENT/cgroup.subtree_control")
  VERSION=
fi

CG=
if [ -n "$VERSION" ]; then
  CG=$PARENT/$PROG-$$
  if ! mkdir "$CG" 2>/dev/null; then
    REASONS+=("mkdir $CG failed")
    CG='' VERSION=''
  fi
fi

# ------------------------------------------- fallback: systemd-run --scope
if [ -z "$VERSION" ]; then
  if [ "$(id -u)" = 0 ]; then SD=(systemd-run) CTL=(systemctl); else SD=(systemd-run --user) CTL=(systemctl --user); fi
  # /run/systemd/system = booted with systemd (sd_booted); the user manager
  # listens on $XDG_RUNTIME_DIR/systemd/private. (systemctl alone says "ignoring
  # command" with status 0 in a chroot.)
  sd_ok=0
  if [ -d /run/systemd/system ] && command -v systemd-run >/dev/null; then
    if [ "$(id -u)" = 0 ] || [ -S "${XDG_RUNTIME_DIR:-/run/user/$(id -u)}/systemd/private" ]; then
      "${CTL[@]}" show-environment >/dev/null 2>&1 && sd_ok=1
    fi
  fi
  if [ "$sd_ok" = 1 ]; then
    [ "${HEADROOM_RUN_VERBOSE:-0}" = 1 ] && echo "$PROG: using ${SD[*]} --scope (${REASONS[*]})" >&2
    # The scope's cgroup is only known inside it: look it up there.
    # shellcheck disable=SC2016 # expanded by the inner bash
    inner='p=$(sed -n "s/^0:://p" /proc/self/cgroup)
      m=$(awk "{for (i = 7; \$i != \"-\"; i++); if (\$(i+1) == \"cgroup2\") {print \$5; exit}}" /proc/self/mountinfo)
      export HEADROOM_CGROUP_DIR=${m%/}$p; exec "$@"'
    exec "${SD[@]}" --scope --quiet --collect -p MemoryMax="$LIMIT" -p MemorySwapMax=0 -- bash -c "$inner" bash "$@"
  fi
  why=$(IFS=';'; echo "${REASONS[*]:-no memory cgroup found}")
  die "no memory cgroup could be made: $why; and no systemd manager reachable for ${SD[*]} --scope"
fi

# --------------------------------------------------------------- set limit
cleanup_done=0
cg_procs() { cat "$CG/cgroup.procs" 2>/dev/null || true; }
cleanup() {
  [ "$cleanup_done" = 1 ] && return 0
  cleanup_done=1
  local i p
  # Leftovers (daemonised grandchildren) get a moment, then SIGKILL.
  for i in $(seq 20); do [ -z "$(cg_procs)" ] && break; sleep 0.05; done
  if [ -n "$(cg_procs)" ]; then
    if [ -e "$CG/cgroup.kill" ]; then echo 1 > "$CG/cgroup.kill" 2>/dev/null || true
    else for p in $(cg_procs); do kill -KILL "$p" 2>/dev/null || true; done; fi
  fi
  # rmdir can fail with EBUSY until the last task has fully exited.
  for i in $(seq 100); do
    rmdir "$CG" 2>/dev/null && return 0
    [ -d "$CG" ] || return 0
    [ $((i % 10)) = 0 ] && for p in $(cg_procs); do kill -KILL "$p" 2>/dev/null || true; done
    sleep 0.05
  done
  echo "$PROG: warning: could not remove $CG" >&2
}
trap cleanup EXIT

if [ "$VERSION" = 1 ]; then
  echo "$LIMIT" > "$CG/memory.limit_in_bytes" || die "cannot write $CG/memory.limit_in_bytes"
  if [ -e "$CG/memory.memsw.limit_in_bytes" ]; then
    echo "$LIMIT" > "$CG/memory.memsw.limit_in_bytes" || die "cannot write $CG/memory.memsw.limit_in_bytes"
  fi
else
  echo "$LIMIT" > "$CG/memory.max" || die "cannot write $CG/memory.max"
  if [ -e "$CG/memory.swap.max" ]; then
    echo 0 > "$CG/memory.swap.max" || die "cannot write $CG/memory.swap.max"
  fi
fi
[ "${HEADROOM_RUN_VERBOSE:-0}" = 1 ] && echo "$CG" >&2

# ------------------------------------------------------------------- run
export HEADROOM_CGROUP_DIR=$CG
(
  # Async children may inherit an ignored SIGINT; COMMAND should see Ctrl-C.
  trap - INT QUIT
  echo "$BASHPID" > "$CG/cgroup.procs" || { echo "$PROG: cannot move into $CG" >&2; exit 125; }
  exec "$@"
) &
CHILD=$!

# Forward INT/TERM/HUP to everything in the cgroup, keep waiting for COMMAND
# to finish, then clean up and report its status.
# shellcheck disable=SC2317 # called from the traps below
forward() { local p; for p in $(cg_procs); do kill -"$1" "$p" 2>/dev/null || true; done; }
trap 'forward INT' INT
trap 'forward TERM' TERM
trap 'forward HUP' HUP

rc=0
while :; do
  rc=0
  wait "$CHILD" 2>/dev/null || rc=$?   # 2>/dev/null: no "Killed" job notice
  # A trapped signal interrupts wait; the child is then still there (or a zombie).
  kill -0 "$CHILD" 2>/dev/null || break
done
trap - INT TERM HUP
cleanup
exit "$rc"
