#!/usr/bin/env bash
# bench.sh [--rebuild] [--quick]
#
# Measures what headroom costs and writes benchmarks/RESULTS.md (issue 8):
#   1. per-sample cost: JMH TickBenchmark with -prof gc and CPU time per op, the interleaved
#      ratio harness, and FileReadBenchmark (the kernel's cost of each file a tick reads)
#   2. startup: hello world and a Micrometer app with no agent / an empty agent / headroom
#   3. footprint: threads, classes and retained heap with vs without the agent
#   4. reaction: time from the first WARNING to the OOM kill in a real 256 MiB cgroup
# The cost at the default interval (the sampler's CPU per tick over minutes) is scripts/tick-cost.sh;
# its section of RESULTS.md is kept when this script rewrites the file.
# Builds what is missing (mvn package -DskipTests); --rebuild always builds.
# --quick: fewer runs and iterations (a smoke test of the script, numbers not for RESULTS.md).
#
# Environment:
#   JAVA_HOME          JDK to measure (default /usr/lib/jvm/java-17-openjdk-amd64)
#   BENCH_RUNS         startup runs per configuration (default 20)
#   BENCH_FOOTPRINT    footprint runs per configuration (default 5)
#   BENCH_REACTION     reaction runs per rate (default 3)
#   BENCH_SKIP         space-separated parts to skip: jmh files interleaved startup footprint reaction
#   MICROMETER_APP_CP, MICROMETER_APP_MAIN
#                      the Micrometer application for the startup part (default: the benchmarks
#                      module's headroombench.MicrometerHello on bench-apps.jar + bench-lib/*).
#                      Hook for issue 6: once examples/micrometer-plain exists, point these at it, e.g.
#                      MICROMETER_APP_CP=examples/micrometer-plain/target/app.jar:... MICROMETER_APP_MAIN=...
#                      (the app should print "main-at-ms=N" on stderr for the time-to-main column;
#                      see benchmarks/src/apps/java/headroombench/MicrometerHello.java)
# Root is needed for the reaction part (scripts/run-in-cgroup.sh makes a memory cgroup).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}
export JAVA_HOME
JAVA=$JAVA_HOME/bin/java
REBUILD=0 QUICK=0
for a in "$@"; do
  case $a in
    --rebuild) REBUILD=1 ;;
    --quick) QUICK=1 ;;
    *) sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//' >&2; exit 2 ;;
  esac
done
RUNS=${BENCH_RUNS:-20} FOOT=${BENCH_FOOTPRINT:-5} REACT=${BENCH_REACTION:-3}
JMH_OPTS=(-f 1 -wi 3 -i 5 -w 1s -r 1s) FILE_OPTS=(-f 1 -wi 1 -i 3 -w 1s -r 1s) ROUNDS=100
if [ "$QUICK" = 1 ]; then
  RUNS=${BENCH_RUNS:-3} FOOT=${BENCH_FOOTPRINT:-1} REACT=${BENCH_REACTION:-1}
  JMH_OPTS=(-f 1 -wi 1 -i 2 -w 1s -r 1s) FILE_OPTS=(-f 1 -wi 1 -i 1 -w 1s -r 1s) ROUNDS=10
fi
SKIP=" ${BENCH_SKIP:-} "
skip() { [[ $SKIP == *" $1 "* ]]; }

B=$ROOT/benchmarks/target
AGENT=$ROOT/agent/target/headroom-agent.jar
EXAMPLES=$ROOT/examples/target/headroom-examples.jar
OUT=$B/bench-run
mkdir -p "$OUT"
log() { echo "bench: $(date +%T) $*" >&2; }

need=0
for f in "$AGENT" "$EXAMPLES" "$B/benchmarks.jar" "$B/empty-agent.jar" "$B/bench-apps.jar"; do
  [ -f "$f" ] || need=1
done
if [ "$REBUILD" = 1 ] || [ "$need" = 1 ]; then
  log "building (mvn package -DskipTests)"
  mvn -q -B package -DskipTests >&2
fi

START=$(date +%s)
{
  echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet -- . ':!benchmarks/RESULTS.md' 2>/dev/null || echo '+dirty')"
  echo "kernel=$(uname -r)"
  echo "cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//') x $(nproc)"
  echo "mem=$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
  echo "cgroup=$(if grep -q ' - cgroup2 ' /proc/self/mountinfo && ! grep -q ' - cgroup .*memory' /proc/self/mountinfo; then echo v2; else echo v1; fi) $(grep -E '(^|:)memory:|^0::' /proc/self/cgroup | head -1)"
  echo "java=$("$JAVA" -version 2>&1 | sed -n 2p)"
  echo "load_start=$(cut -d' ' -f1-3 /proc/loadavg)"
  echo "quick=$QUICK"
} > "$OUT/machine.txt"

# --------------------------------------------------------------- 1. per-sample cost
"$JAVA" -cp "$B/benchmarks.jar" dev.headroom.benchmarks.TickFiles / > "$OUT/tick-files.txt"
"$JAVA" -cp "$B/benchmarks.jar" dev.headroom.benchmarks.TickFiles / calm > "$OUT/tick-files-calm.txt"
if ! skip jmh; then
  log "JMH TickBenchmark ${JMH_OPTS[*]} -prof gc -prof CpuProfiler"
  "$JAVA" -jar "$B/benchmarks.jar" TickBenchmark "${JMH_OPTS[@]}" -prof gc \
      -prof dev.headroom.benchmarks.CpuProfiler -rf json -rff "$OUT/jmh-tick.json" > "$OUT/jmh-tick.txt" 2>&1
fi
if ! skip interleaved; then
  log "interleaved ratios ($ROUNDS rounds)"
  "$JAVA" -cp "$B/benchmarks.jar" dev.headroom.benchmarks.Interleaved "$ROUNDS" 30 > "$OUT/interleaved.txt"
  "$JAVA" -cp "$B/benchmarks.jar" dev.headroom.benchmarks.AllocProbe > "$OUT/alloc-probe.txt"
fi
if ! skip files; then
  PATHS=$(awk 'NR > 1 && $1 != "-" {print $NF}' "$OUT/tick-files.txt" | paste -sd,)
  log "JMH FileReadBenchmark over $(echo "$PATHS" | tr ',' '\n' | wc -l) files"
  "$JAVA" -jar "$B/benchmarks.jar" FileReadBenchmark -p path="$PATHS" "${FILE_OPTS[@]}" \
      -prof dev.headroom.benchmarks.CpuProfiler -rf json -rff "$OUT/jmh-files.json" > "$OUT/jmh-files.txt" 2>&1
fi

# --------------------------------------------------------------------- 2. startup
if ! skip startup; then
  log "startup: $RUNS interleaved runs per configuration"
  python3 scripts/bench_tools.py startup "$JAVA" "$EXAMPLES" "$AGENT" "$B/empty-agent.jar" "$B/bench-apps.jar" \
      "$B/bench-lib" "$RUNS" "$OUT/startup.json"
fi

# ------------------------------------------------------------------- 3. footprint
if ! skip footprint; then
  log "footprint: $FOOT runs per configuration"
  python3 scripts/bench_tools.py footprint "$JAVA" "$AGENT" "$B/empty-agent.jar" "$B/bench-apps.jar" "$B/bench-lib" \
      "$FOOT" 8000 "$OUT" "$OUT/footprint.json"
fi

# -------------------------------------------------------------------- 4. reaction
if ! skip reaction; then
  log "reaction: $REACT runs at 10M, 50M, 200M per second in a 256 MiB cgroup"
  python3 scripts/bench_tools.py reaction "$ROOT/scripts/run-in-cgroup.sh" "$JAVA" "$AGENT" "$EXAMPLES" "$REACT" \
      10M,50M,200M "$OUT/reaction.json"
fi

{
  echo "load_end=$(cut -d' ' -f1-3 /proc/loadavg)"
  echo "elapsed_s=$(( $(date +%s) - START ))"
  echo "jmh_opts=${JMH_OPTS[*]}"
  echo "file_opts=${FILE_OPTS[*]}"
  echo "rounds=$ROUNDS"
} >> "$OUT/machine.txt"
python3 scripts/bench_report.py "$OUT" > "$OUT/RESULTS.md.new"  # it reads the old RESULTS.md (section 5)
mv "$OUT/RESULTS.md.new" "$ROOT/benchmarks/RESULTS.md"
log "wrote benchmarks/RESULTS.md ($(( $(date +%s) - START )) s)"
