#!/usr/bin/env bash
# demo.sh: the whole headroom story in about half a minute.
#
# Builds what is missing, then runs the example application that grows direct
# buffers at 20 MiB/s under the agent, in a fresh 256 MiB memory cgroup, until
# the kernel OOM-kills it. You see the agent's start line, its WARNING and
# CRITICAL lines (with what grew and how fast), the kill, and the termination
# message the agent left behind (what Kubernetes shows in `kubectl describe pod`).
# Needs a memory cgroup it can create: root (cgroup v1 or v2), or systemd-run
# --user --scope where a user systemd runs. Exit status 0 when the story ran.
# Prints plain text only (no terminal escape codes), so it reads the same in a log.
set -euo pipefail
cd "$(dirname "$0")/.."

AGENT=agent/target/headroom-agent.jar
APP=examples/target/headroom-examples.jar
RATE=${DEMO_RATE:-20M}
LIMIT=${DEMO_LIMIT:-256M}

# the build, echoed exactly as it runs; DEMO_REBUILD=1 builds even when both jars exist
build=(mvn -B -q -DskipTests package -pl agent -am)
if [ ! -f "$AGENT" ] || [ ! -f "$APP" ] || [ "${DEMO_REBUILD:-}" = 1 ]; then
  echo "== building the agent and the examples: ${build[*]}"
  # Maven 3.8 writes colour resets (ESC[0m) even in batch mode: strip every escape sequence
  "${build[@]}" 2>&1 | sed 's/\x1b\[[0-9;]*[A-Za-z]//g'
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/headroom-demo.XXXXXX")
trap 'rm -rf "$work"' EXIT
message="$work/termination-log"

echo "== running Grow (direct buffers, $RATE/s) under the agent in a $LIMIT memory cgroup"
echo "   java -XX:MaxDirectMemorySize=1g -javaagent:$AGENT=terminationMessage=$message \\"
echo "        -cp $APP dev.headroom.examples.Grow direct $RATE"
echo
set +e
scripts/run-in-cgroup.sh "$LIMIT" -- java -XX:MaxDirectMemorySize=1g \
  "-javaagent:$AGENT=terminationMessage=$message" \
  -cp "$APP" dev.headroom.examples.Grow direct "$RATE"
status=$?
set -e
echo
case $status in
  137)
    echo "== the kernel OOM-killed the process (exit status 137 = SIGKILL)" ;;
  125)
    echo "== no memory cgroup could be made here (see the line above)."
    echo "   Run the demo as root, or where 'systemd-run --user --scope' works, or try the"
    echo "   same command in a container with a memory limit:"
    echo "   docker run --rm -m 256m -v \"\$PWD:/w\" -w /w eclipse-temurin:17 \\"
    echo "     java -XX:MaxDirectMemorySize=1g -javaagent:$AGENT -cp $APP dev.headroom.examples.Grow direct 20M"
    exit 1 ;;
  *)
    echo "== the application ended with exit status $status (expected an OOM kill, 137)" ;;
esac

if [ -s "$message" ]; then
  echo "== the termination message the agent kept in $message ($(wc -c < "$message") bytes):"
  echo "   (in Kubernetes this file is /dev/termination-log: kubectl describe pod shows it)"
  sed 's/^/   | /' "$message"
else
  echo "== no termination message was written"
fi
[ "$status" = 137 ]
