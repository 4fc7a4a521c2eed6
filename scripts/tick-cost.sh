#!/usr/bin/env bash
# tick-cost.sh [SECONDS] [OUT_DIR]
#
# The agent's sampling cost as users pay it: an idle application (headroombench.TickCost) with
# the agent at its default interval, for SECONDS (default 660: the first minute and the eleventh),
# in this shell's own cgroup, or with TICK_COST_LIMIT=512M in a fresh memory cgroup of that limit
# (scripts/run-in-cgroup.sh; the JDK pair reads fewer files there, so it is cheaper). Prints the section "Cost at the
# default interval" of benchmarks/RESULTS.md on stdout (paste it there); the raw per-second
# samples go to OUT_DIR (default benchmarks/target/tick-cost).
#
# Per tick = CPU of the agent's threads (ThreadMXBean, user + system) / ticks (the MXBean's
# Sequence) over a window; the first minute's window starts after the set-up (the third tick).
# The JDK pair (getTotalMemorySize + getFreeMemorySize) is measured hot in the same process at the
# end. CPU per hour: the CPU measured over the run plus the last minute's rate for the rest of
# the hour (an extrapolation unless SECONDS >= 3600).
#
# Environment: JAVA_HOME (default /usr/lib/jvm/java-17-openjdk-amd64), TICK_COST_ARGS (agent
# arguments, default none), TICK_COST_JAVA_OPTS (JVM options, e.g. -Xint, or JIT thresholds to see
# what compilation changes at this pace), HEADROOM_AGENT and BENCH_APPS (the jars, default the built ones). Root is needed for the memory cgroup. Builds what is missing.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
SECONDS_TO_RUN=${1:-660}
OUT=${2:-$ROOT/benchmarks/target/tick-cost}
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}
JAVA=$JAVA_HOME/bin/java
AGENT=${HEADROOM_AGENT:-$ROOT/agent/target/headroom-agent.jar}
APPS=${BENCH_APPS:-$ROOT/benchmarks/target/bench-apps.jar}
if [ ! -f "$AGENT" ] || [ ! -f "$APPS" ]; then
  mvn -q -B package -DskipTests >&2
fi
mkdir -p "$OUT"
ARGS=${TICK_COST_ARGS:+=$TICK_COST_ARGS}
read -r -a JAVA_OPTS <<< "${TICK_COST_JAVA_OPTS:-}"
CMD=("$JAVA" ${JAVA_OPTS[@]+"${JAVA_OPTS[@]}"} "-javaagent:$AGENT$ARGS" -cp "$APPS" headroombench.TickCost "$SECONDS_TO_RUN")
if [ -n "${TICK_COST_LIMIT:-}" ]; then
  "$ROOT/scripts/run-in-cgroup.sh" "$TICK_COST_LIMIT" -- "${CMD[@]}" > "$OUT/samples.txt" 2> "$OUT/stderr.txt"
else
  "${CMD[@]}" > "$OUT/samples.txt" 2> "$OUT/stderr.txt"
fi
{
  echo "commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet -- agent 2>/dev/null || echo '+dirty')"
  echo "java=$("$JAVA" -version 2>&1 | sed -n 2p)"
  echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "command=${CMD[*]}"
  echo "cgroup=${TICK_COST_LIMIT:-none of its own: $(grep -E '(^|:)memory:|^0::' /proc/self/cgroup | head -1)}"
} > "$OUT/run.txt"

python3 - "$OUT" <<'EOF'
import re, sys
out = sys.argv[1]
run = dict(l.rstrip("\n").split("=", 1) for l in open(out + "/run.txt"))
samples, pair, names, idle, pair1s = [], None, "", None, None
for line in open(out + "/samples.txt"):
    kv = dict(p.split("=", 1) for p in line.split())
    if "at" in kv:
        samples.append((int(kv["at"]), int(kv["cpu-ns"]), int(kv["ticks"])))
    elif "pair-hot-ns" in kv:
        pair = float(kv["pair-hot-ns"])
    elif "pair-1s-ns" in kv:
        pair1s = (float(kv["pair-1s-ns"]), float(kv["pair-1s-last-minute-ns"]))
    elif "idle-wakeup-ns" in kv:
        idle = float(kv["idle-wakeup-ns"])
    elif "agent-threads" in kv:
        names = kv["agent-threads"]
by_second = {s: (c, t) for s, c, t in samples}
last = samples[-1][0]

def window(a, b):
    """(µs per tick, ticks) between the samples at seconds a and b."""
    (ca, ta), (cb, tb) = by_second[a], by_second[b]
    return ((cb - ca) / 1000 / (tb - ta), tb - ta) if tb > ta else (float("nan"), 0)

start = next(s for s, c, t in samples if t >= 3)
windows = [("first minute (s %d–60)" % start, start, 60)]
if last >= 120:
    windows.append(("second minute (s 60–120)", 60, 120))
if last >= 600:
    windows.append(("minutes 5–10 (s 300–600)", 300, 600))
windows.append(("last minute (s %d–%d)" % (last - 60, last), last - 60, last))
setup_us = by_second[start][0] / 1000
tail_rate = (by_second[last][0] - by_second[last - 60][0]) / 60  # ns per second
hour_ms = (by_second[last][0] + tail_rate * max(0, 3600 - last)) / 1e6

print("## Cost at the default interval")
print()
print("`scripts/tick-cost.sh %d`: `headroombench.TickCost`, an idle application with the agent at its defaults "
      "(1 s interval), %d s, cgroup: %s. CPU = the agent's threads (`%s`) by `ThreadMXBean` "
      "(user + system: the kernel's work for the reads counts), ticks = the MXBean's `Sequence`, both read once a "
      "second. The JDK pair (`getTotalMemorySize()` + `getFreeMemorySize()`) is measured hot in the same process at "
      "the end (3 s warm-up, 2 s measured). %s, commit %s, %s." % (last, last, run["cgroup"], names, run["java"], run["commit"], run["date"]))
print()
print("| window | ticks | CPU µs per tick | vs hot JDK pair |")
print("|---|---:|---:|---:|")
for label, a, b in windows:
    us, n = window(a, b)
    print("| %s | %d | %.1f | %.2f× |" % (label, n, us, us * 1000 / pair))
print()
print("- hot JDK pair in the same process: **%.1f µs** per call; goal for a tick at the default interval: ≤ 2× = %.1f µs"
      % (pair / 1000, 2 * pair / 1000))
if pair1s:
    print("- the same JDK pair called once a second in a thread of its own, same process (what it costs at the agent's "
          "pace, wake-up excluded): %.1f µs per call over the run, %.1f µs in the last minute" % (pair1s[0] / 1000, pair1s[1] / 1000))
print("- a thread that only sleeps 1 s in a loop, same process: %.1f µs CPU per wake-up (the floor under any work "
      "done once a second: the kernel's and the JVM's cost of sleeping and waking)" % (idle / 1000))
print("- set-up and the first %d ticks (configuration, sinks, MXBean registration, class loading): %.1f ms"
      % (by_second[start][1], setup_us / 1000))
print("- agent CPU per hour: **%.0f ms** (%.3f%% of one core)%s" % (hour_ms, hour_ms / 36000,
      "" if last >= 3600 else ": the %d s measured plus the last minute's rate for the remaining %d s" % (last, 3600 - last)))
EOF
