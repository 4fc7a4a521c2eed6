#!/usr/bin/env bash
# fuzz.sh [SECONDS] [TARGET...]
#
# A time-boxed real fuzzing session with Jazzer (JAZZER_FUZZ=1): each @FuzzTest
# target in turn for SECONDS seconds (default 60), starting from its seed
# corpus (src/test/resources/dev/headroom/.../<TestClass>Inputs/<method>/).
# TARGET is Class#method; default: every target below. Prints, per target, the
# executions libFuzzer reports and whether it found a crash; a crashing input is
# written next to the seeds as crash-<sha1> (Jazzer's convention), so that the
# normal build replays it as a regression test from then on. Inputs the fuzzer
# found interesting go to agent/.cifuzz-corpus/ (not committed).
#
# Environment: FUZZ_JVM (the java executable the tests run on, e.g.
# /usr/lib/jvm/temurin-25-jdk-amd64/bin/java; default: Maven's), FUZZ_LOGS
# (directory to keep each target's full output in).
#
# Do not build in this worktree while it runs: the tests run from target/.
#
# Exit status: 0 when every target ran and found nothing, 1 otherwise, 2 for
# bad usage.
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_PER_TARGET=${1:-60}
[[ $SECONDS_PER_TARGET =~ ^[1-9][0-9]*$ ]] || { echo "usage: scripts/fuzz.sh [SECONDS] [Class#method...]" >&2; exit 2; }
shift || true
TARGETS=("$@")
if [ ${#TARGETS[@]} = 0 ]; then
  TARGETS=(ParsersFuzzTest#mountinfo ParsersFuzzTest#procCgroup ParsersFuzzTest#keyValues
           ParsersFuzzTest#singleValues ParsersFuzzTest#pressure ConfigFuzzTest#parse SnapshotFuzzTest#wholeTree)
fi

echo "== compiling (mvn -q -pl agent -am test-compile)"
mvn -B -q -pl agent -am test-compile

logs=${FUZZ_LOGS:-$(mktemp -d "${TMPDIR:-/tmp}/headroom-fuzz.XXXXXX")}
mkdir -p "$logs"
found=0
printf '%-32s %8s %12s %10s  %s\n' target seconds executions exec/s result
for target in "${TARGETS[@]}"; do
  log=$logs/${target/\#/.}.log
  set +e
  # jazzer.internal.arg.N are Jazzer's libFuzzer arguments (argv0 first); the
  # last -max_total_time wins over the @FuzzTest default of 5 minutes.
  JAZZER_FUZZ=1 mvn -B -pl agent -am -o surefire:test -Dsurefire.failIfNoSpecifiedTests=false \
    -Dtest="$target" -DtrimStackTrace=false ${FUZZ_JVM:+"-Djvm=$FUZZ_JVM"} \
    "-DargLine=-Djazzer.internal.arg.0=fuzz -Djazzer.internal.arg.1=-max_total_time=$SECONDS_PER_TARGET" \
    > "$log" 2>&1
  status=$?
  set -e
  done_line=$(grep -aE 'Done [0-9]+ runs in [0-9]+ second' "$log" | tail -n 1 || true)
  runs=$(echo "$done_line" | sed -nE 's/.*Done ([0-9]+) runs in ([0-9]+) second.*/\1/p')
  secs=$(echo "$done_line" | sed -nE 's/.*Done ([0-9]+) runs in ([0-9]+) second.*/\2/p')
  if [ -z "$runs" ]; then
    # a crash ends the run before "Done": take the last status line
    runs=$(grep -aoE '^#[0-9]+' "$log" | tail -n 1 | tr -d '#' || true)
  fi
  rate=-
  [ -n "$runs" ] && [ -n "$secs" ] && [ "$secs" -gt 0 ] && rate=$((runs / secs))
  if [ "$status" = 0 ] && [ -z "$runs" ]; then
    found=1
    result="NOT RUN (no libFuzzer output; see $log)"
  elif [ "$status" = 0 ]; then
    result=ok
  else
    found=1
    crash=$(grep -aoE "Test unit written to [^ ]+" "$log" | tail -n 1 || true)
    finding=$(grep -aE -m 1 '== Java Exception:|FuzzTestFinding|AssertionFailedError' "$log" | cut -c1-160 || true)
    result="FAILED (status $status) ${crash:-} ${finding:-see $log}"
  fi
  printf '%-32s %8s %12s %10s  %s\n' "$target" "${secs:-?}" "${runs:-?}" "$rate" "$result"
done
echo "(full output per target in $logs)"
exit "$found"
