#!/usr/bin/env bash
# test-run-in-cgroup.sh -- checks scripts/run-in-cgroup.sh against the real
# kernel (cgroup v1 or v2, whichever this machine has; needs root for most
# cases, the rest are skipped otherwise).
#
# Each case checks the exit status, and that the cgroup the command ran in
# (recorded from HEADROOM_CGROUP_DIR) is gone afterwards, and that no stale
# headroom-run-<pid> cgroup (pid no longer alive) is left anywhere.
# Ends with "N passed, N failed[, N skipped]"; exits 1 on any failure.
# shellcheck disable=SC2016 # the single-quoted snippets are expanded by the inner sh
set -euo pipefail

RUN=$(cd "$(dirname "$0")" && pwd)/run-in-cgroup.sh
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
PASS=0 FAIL=0 SKIP=0
ok() { PASS=$((PASS + 1)); echo "ok   - $*"; }
bad() { FAIL=$((FAIL + 1)); echo "FAIL - $*"; }
skip() { SKIP=$((SKIP + 1)); echo "skip - $*"; }

# Records the cgroup dir the command ran in, then runs the rest.
REC=(sh -c 'echo "$HEADROOM_CGROUP_DIR" > "$0"; exec "$@"' "$T/dir")

# Stale headroom-run-<pid> dirs whose creator is gone (live ones may belong to
# other people's concurrent runs).
stale_cgroups() {
  local d pid
  while read -r d; do
    [ -n "$d" ] || continue
    pid=${d##*headroom-run-}
    kill -0 "$pid" 2>/dev/null || echo "$d"
  done <<< "$(find /sys/fs/cgroup -mindepth 1 -maxdepth 12 -type d -name 'headroom-run-*' 2>/dev/null)"
}

# check NAME WANT_RC LIMIT CMD...: run, compare status, check cleanup.
check() {
  local name=$1 want=$2 limit=$3 rc=0 dir stale
  shift 3
  rm -f "$T/dir"
  "$RUN" "$limit" -- "${REC[@]}" "$@" > "$T/out" 2> "$T/err" || rc=$?
  dir=$(cat "$T/dir" 2>/dev/null || true)
  stale=$(stale_cgroups)
  if [ "$rc" != "$want" ]; then bad "$name: exit $rc, want $want ($(head -c 300 "$T/err"))"
  elif [ -z "$dir" ]; then bad "$name: command did not see HEADROOM_CGROUP_DIR"
  elif [ -d "$dir" ]; then bad "$name: cgroup $dir left behind"
  elif [ -n "$stale" ]; then bad "$name: stale cgroups left: $stale"
  else ok "$name (exit $rc)"; fi
}

# limit_file DIR: the file holding the memory limit (v1 or v2).
READ_LIMIT='f=$HEADROOM_CGROUP_DIR/memory.limit_in_bytes; [ -e "$f" ] || f=$HEADROOM_CGROUP_DIR/memory.max; cat "$f"'
check_limit() {
  local arg=$1 want=$2 got
  check "limit $arg reaches the cgroup" 0 "$arg" sh -c "$READ_LIMIT > $T/limit"
  got=$(cat "$T/limit" 2>/dev/null || true)
  if [ "$got" = "$want" ]; then ok "limit $arg reads back as $want"; else bad "limit $arg reads back as '$got', want $want"; fi
}

if [ "$(id -u)" != 0 ]; then
  skip "not root: cgroup cases need root"
else
  check_limit 256M 268435456
  check_limit 1G 1073741824
  check_limit 268435456 268435456

  # Swap must not hide the limit: v1 memsw == limit, v2 swap.max == 0.
  check "swap limit" 0 64M sh -c 'd=$HEADROOM_CGROUP_DIR
    if [ -e "$d/memory.memsw.limit_in_bytes" ]; then test "$(cat "$d/memory.memsw.limit_in_bytes")" = 67108864
    elif [ -e "$d/memory.swap.max" ]; then test "$(cat "$d/memory.swap.max")" = 0; fi'

  check "exit 0" 0 64M true
  check "exit 3" 3 64M sh -c 'exit 3'
  check "killed by SIGTERM" 143 64M sh -c 'kill -TERM $$'
  check "the command really runs in the cgroup" 0 64M sh -c \
    'grep -Eq "(memory.*|^0::.*)/headroom-run-[0-9]+$" /proc/self/cgroup'

  # Real OOM kill: tail buffers /dev/zero (no newline) without bound.
  check "OOM kill -> 137" 137 64M tail /dev/zero
  # The same, read from the cgroup's own counters (command survives its child).
  check "OOM kill counted" 0 64M sh -c 'tail /dev/zero; rc=$?; d=$HEADROOM_CGROUP_DIR
    if [ -e "$d/memory.oom_control" ]; then n=$(sed -n "s/^oom_kill //p" "$d/memory.oom_control")
    else n=$(sed -n "s/^oom_kill //p" "$d/memory.events"); fi
    echo "rc=$rc oom_kill=$n" >&2; [ "$rc" = 137 ] && [ "${n:-0}" -ge 1 ]'

  # A daemonised leftover must not keep the cgroup alive.
  check "leftover background process" 0 64M sh -c 'sleep 300 >/dev/null 2>&1 & exit 0'

  # Signals to the script itself (Ctrl-C = INT, kill = TERM): forwarded, then
  # cleanup, status of the interrupted command.
  for sig in INT TERM; do
    rm -f "$T/dir"
    # Background jobs start with SIGINT ignored; undo that like a terminal would.
    ( trap - INT QUIT; exec "$RUN" 64M -- "${REC[@]}" sleep 30 ) > /dev/null 2>&1 &
    pid=$!
    for _ in $(seq 50); do [ -s "$T/dir" ] && break; sleep 0.1; done
    sleep 0.2
    kill -"$sig" "$pid"
    rc=0; wait "$pid" || rc=$?
    want=$((128 + $(kill -l "$sig")))
    dir=$(cat "$T/dir" 2>/dev/null || true)
    if [ "$rc" = "$want" ] && [ -n "$dir" ] && [ ! -d "$dir" ] && [ -z "$(stale_cgroups)" ]; then ok "SIG$sig to the script (exit $rc, cgroup removed)"
    else bad "SIG$sig to the script: exit $rc (want $want), dir '$dir' exists=$([ -d "$dir" ] && echo yes || echo no)"; fi
  done

  # Verbose prints the directory (stderr) and nothing else.
  out=$(HEADROOM_RUN_VERBOSE=1 "$RUN" 16M -- true 2>&1)
  if [[ $out =~ ^/.*/headroom-run-[0-9]+$ ]]; then ok "verbose prints the cgroup dir"; else bad "verbose output: '$out'"; fi
  out=$("$RUN" 16M -- true 2>&1)
  if [ -z "$out" ]; then ok "quiet on success"; else bad "output on success: '$out'"; fi

  # v2 moves callers into <own>/headroom-leaf once; later runs must reuse that
  # level, not nest one leaf deeper each time.
  d1=$("$RUN" 16M -- sh -c 'echo "$HEADROOM_CGROUP_DIR"')
  d2=$("$RUN" 16M -- sh -c 'echo "$HEADROOM_CGROUP_DIR"')
  if [ "${d1%/*}" = "${d2%/*}" ] && [[ $d2 != */headroom-leaf/headroom-leaf/* ]]; then ok "repeated runs use the same parent ${d2%/*}"
  else bad "repeated runs moved: $d1 then $d2"; fi
fi

# Usage errors and "no cgroup possible" exit 125 with one line.
rc=0; "$RUN" 12X -- true 2> "$T/err" || rc=$?
if [ "$rc" = 125 ] && [ "$(wc -l < "$T/err")" = 1 ]; then ok "bad LIMIT -> 125"; else bad "bad LIMIT: exit $rc"; fi
rc=0; "$RUN" 1G true 2> /dev/null || rc=$?
if [ "$rc" = 125 ]; then ok "missing -- -> 125"; else bad "missing --: exit $rc"; fi

if [ "$(id -u)" = 0 ] && command -v setpriv > /dev/null && [ ! -d /run/systemd/system ]; then
  # The checkout may sit in a private directory (e.g. under /root): user 65534 runs a copy from a
  # fresh world-readable directory, and starts there (bash needs a reachable working directory).
  U=$(mktemp -d /tmp/headroom-unprivileged.XXXXXX)
  chmod 755 "$U"
  cp "$RUN" "$U/run-in-cgroup.sh"
  chmod 755 "$U/run-in-cgroup.sh"
  as_nobody() { (cd "$U" && setpriv --reuid=65534 --regid=65534 --clear-groups env -u XDG_RUNTIME_DIR -u DBUS_SESSION_BUS_ADDRESS "$@"); }
  rc=0
  if ! as_nobody test -x "$U/run-in-cgroup.sh"; then
    skip "unprivileged fallback case: user 65534 cannot reach $U"
  else
    as_nobody "$U/run-in-cgroup.sh" 64M -- true > "$T/out" 2> "$T/err" || rc=$?
    if [ "$rc" = 125 ] && [ "$(wc -l < "$T/err")" = 1 ] && grep -q 'no memory cgroup could be made' "$T/err"; then
      ok "unprivileged without systemd -> 125: $(cat "$T/err")"
    elif [ "$rc" = 0 ]; then skip "unprivileged run found a cgroup/systemd after all"
    else bad "unprivileged: exit $rc: $(cat "$T/err")"; fi
  fi
  rm -rf "$U"
else
  skip "unprivileged fallback case (needs root + setpriv, and no user systemd)"
fi

echo "$PASS passed, $FAIL failed, $SKIP skipped"
[ "$FAIL" = 0 ]
