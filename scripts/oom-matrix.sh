#!/usr/bin/env bash
# oom-matrix.sh [RUNS]
#
# Repeats the end-to-end OOM test RUNS times (default 5) for each kind of
# growth outside the Java heap (direct buffers, native malloc, thread stacks):
#
#   scripts/run-in-cgroup.sh 256M -- java -XX:MaxDirectMemorySize=1g \
#       -javaagent:agent/target/headroom-agent.jar \
#       -cp examples/target/headroom-examples.jar dev.headroom.examples.Grow --quiet KIND RATE
#
# The agent runs with its default settings. Every output line is stamped as it
# arrives; the process's death is the moment its output streams close. For
# each run it prints the exit status, whether a "[headroom] WARNING" line (or a
# CRITICAL one) came before the kill, and the lead time: seconds from the first
# such line to the death (a level/trend/status/limit-hit line: the start-up
# config-check warning does not count). Then a summary table per kind.
#
# Environment: OOM_MATRIX_RATE (default 20M per second), OOM_MATRIX_LIMIT
# (default 256M), OOM_MATRIX_KINDS (default "direct native threads"), JAVA
# (default java), OOM_MATRIX_TIMEOUT (seconds per run, default 180),
# OOM_MATRIX_LOGS (keep every run's stamped output in this directory).
#
# Exit status: 0 when every run was OOM-killed (137) after a warning; 1 when
# any kill came without a warning before it, or a run was not killed; 2 usage.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${1:-5}
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || { echo "usage: scripts/oom-matrix.sh [RUNS]" >&2; exit 2; }
RATE=${OOM_MATRIX_RATE:-20M}
LIMIT=${OOM_MATRIX_LIMIT:-256M}
KINDS=${OOM_MATRIX_KINDS:-direct native threads}
JAVA=${JAVA:-java}
TIMEOUT=${OOM_MATRIX_TIMEOUT:-180}
AGENT=agent/target/headroom-agent.jar
APP=examples/target/headroom-examples.jar

if [ ! -f "$AGENT" ] || [ ! -f "$APP" ]; then
  echo "== building the agent and the examples (mvn -q -DskipTests package)" >&2
  mvn -B -q -DskipTests package -pl agent -am
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/headroom-oom-matrix.XXXXXX")
trap 'rm -rf "$work"' EXIT

# A warning about memory: a level change, a predicted trend, a status repeat or
# a limit hit. Not the start-up configuration check (config-check), which says
# what could happen, not that memory is running out.
WARNING_LINE='^[0-9.]+ \[headroom\] (WARNING|CRITICAL) (level|trend|status|limit-hit|under-oom):'

# Stamps each line with the wall clock (seconds, microseconds) and, at end of
# input, prints "<time> EOF": the moment the last writer (the JVM) went away.
stamp() {
  local line
  while IFS= read -r line || [ -n "$line" ]; do
    printf '%s %s\n' "$EPOCHREALTIME" "$line"
  done
  printf '%s EOF\n' "$EPOCHREALTIME"
}

declare -A killed warned leads
failed=0
printf '%-8s %3s  %6s  %-8s  %9s  %s\n' kind run status warning lead_s first-warning-line
for kind in $KINDS; do
  killed[$kind]=0 warned[$kind]=0 leads[$kind]=""
  for run in $(seq "$RUNS"); do
    log=$work/$kind-$run.log
    set +e
    timeout --kill-after=10 "$TIMEOUT" scripts/run-in-cgroup.sh "$LIMIT" -- \
      "$JAVA" -XX:MaxDirectMemorySize=1g "-javaagent:$AGENT" \
      -cp "$APP" dev.headroom.examples.Grow --quiet "$kind" "$RATE" 2>&1 | stamp > "$log"
    status=${PIPESTATUS[0]}
    set -e
    start=$(head -n 1 "$log" | cut -d' ' -f1)
    death=$(grep ' EOF$' "$log" | tail -n 1 | cut -d' ' -f1)
    first=$(grep -m 1 -E "$WARNING_LINE" "$log" || true)
    warning=no lead=-
    if [ -n "$first" ]; then
      warning=$(echo "$first" | awk '{print $3}')
      lead=$(awk -v a="${first%% *}" -v b="$death" 'BEGIN { printf "%.1f", b - a }')
    fi
    if [ "$status" = 137 ]; then
      killed[$kind]=$((killed[$kind] + 1))
      if [ -n "$first" ]; then
        warned[$kind]=$((warned[$kind] + 1))
        leads[$kind]="${leads[$kind]} $lead"
      else
        failed=1
      fi
    else
      failed=1
    fi
    shown=$(echo "${first#* }" | cut -c1-110)
    printf '%-8s %3s  %6s  %-8s  %9s  %s\n' "$kind" "$run" "$status" "$warning" "$lead" "${shown:-"(none)"}"
    if [ -n "${OOM_MATRIX_LOGS:-}" ]; then
      mkdir -p "$OOM_MATRIX_LOGS" && cp "$log" "$OOM_MATRIX_LOGS/"
    fi
    : "$start"
  done
done

echo
echo "summary (limit $LIMIT, rate $RATE/s, agent defaults; lead = first WARNING/CRITICAL line to death)"
printf '%-8s %5s %7s %11s %7s %7s %7s\n' kind runs killed warned-first min_s median_s max_s
for kind in $KINDS; do
  read -r min median max < <(echo "${leads[$kind]}" | tr ' ' '\n' | grep . | sort -g | awk '
    { v[NR] = $1 } END { if (NR == 0) { print "- - -"; exit }
      m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
      printf "%.1f %.1f %.1f\n", v[1], m, v[NR] }')
  printf '%-8s %5s %7s %11s %7s %7s %7s\n' "$kind" "$RUNS" "${killed[$kind]}" "${warned[$kind]}" "$min" "$median" "$max"
done
if [ "$failed" != 0 ]; then
  echo "FAIL: a run was not OOM-killed, or was killed without a warning first" >&2
fi
exit "$failed"
