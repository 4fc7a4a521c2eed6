#!/usr/bin/env bash
# v2-guest-check.sh -- the guest side of CgroupV2IT: runs inside a real cgroup v2
# cgroup (normally through scripts/cgroup2-vm.sh) and does several
# checks in one guest boot, each writing its results into OUT_DIR (which must be
# listed in CG2VM_RW_DIRS so the host sees it):
#
#   usage: v2-guest-check.sh OUT_DIR JAVA AGENT_JAR EXAMPLES_JAR STEP...
#
#   info         OUT/info.txt: /proc/self/cgroup, the cgroup2 mountinfo line, own
#                cgroup dir and its memory.max
#   snapshot     java -XshowSettings:system -jar AGENT_JAR --json
#                => OUT/snapshot.{out,err,rc} (JSON on stdout, the JDK's own view
#                of the limit, "Memory Limit: ...", on stderr: one JVM for both);
#                then the own cgroup's memory.pressure => OUT/snapshot.pressure
#   oom[:RATE]   java -XX:MaxDirectMemorySize=1g -javaagent:AGENT_JAR
#                dev.headroom.examples.Grow --quiet direct RATE (default 16M), run
#                until the kernel kills it => OUT/oom.{out,err,rc}, and the own
#                cgroup's memory.events before/after in OUT/oom.events-{before,after}.
#                This script protects itself (oom_score_adj -1000), Java gets 0.
#                Run "precache" first (before any JVM) or the kill may never come.
#   precache     when the guest's root cgroup is reachable (no cgroup namespace): a
#                process in the ROOT cgroup reads the JDK's lib/ (but src.zip, ct.sym
#                and the CDS archives for other heap/header modes),
#                the libraries java links and both jars, so their page cache is
#                charged there, not to the job (as if a node had them cached
#                already). Otherwise, at the limit, the kernel keeps reclaiming and
#                re-reading the JVM's own code over 9p under emulation instead of
#                OOM-killing: measured 80 s, and >7 min (never killed) when an
#                earlier JVM in the job had charged the JDK's files to it.
#   relief[:RATE] ReliefIT's first scenario on v2: a G1 heap filled and emptied,
#                then 150 MiB of direct buffers at RATE (default 20M), which fit in
#                256M only if the emptied heap is given back; the agent runs with
#                relief=heap and readinessFile=OUT/ready
#                => OUT/relief.{out,err,rc} (0: it survived), OUT/relief.ready (the
#                readiness file at the end: "present" or "absent").
#   nested[:MAX] a tighter parent: moves every process of the own cgroup D into the
#                leaf D/v2check-leaf (no internal processes), enables +memory in
#                D/cgroup.subtree_control, makes D/v2check-child with memory.max MAX
#                (default 512M), moves a subshell in and runs the snapshot there
#                => OUT/nested.{out,err,rc}, OUT/nested.txt (dirs, memory.max).
#                Rearranges the cgroup tree, so put it last.
#
# Every step's exit status goes to OUT/STEP.rc; the script exits 0 once all steps
# ran (a step's failure is the caller's to judge), 2 on bad usage. Progress lines
# ("v2check: ...") go to stdout. Only OUT_DIR is written; everything else it
# creates is in the guest's cgroupfs. No process substitution: the guest has no
# /dev/fd.
set -uo pipefail

say() { echo "v2check: $*"; }
if [ $# -lt 5 ]; then
  sed -n '2,/^set -uo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//' >&2
  exit 2
fi
OUT=$1 JAVA=$2 AGENT=$3 EXAMPLES=$4
shift 4
[ -d "$OUT" ] || { echo "v2check: OUT_DIR $OUT is not a directory" >&2; exit 2; }
# Options from the caller's environment must not change what the JVMs print.
unset JAVA_TOOL_OPTIONS _JAVA_OPTIONS JDK_JAVA_OPTIONS CLASSPATH
for v in $(env | sed -n 's/^\(HEADROOM_[A-Za-z0-9_]*\)=.*/\1/p'); do unset "$v"; done

now() { cut -d' ' -f1 /proc/uptime; }
own_dir() { # the cgroup2 mount point + our path from 0::PATH (mount root is /)
  local path mnt
  path=$(sed -n 's/^0:://p' /proc/self/cgroup)
  mnt=$(awk '{for (i = 7; $i != "-"; i++); if ($(i + 1) == "cgroup2") {print $5; exit}}' /proc/self/mountinfo)
  mnt=${mnt%/}
  if [ "$path" = / ]; then echo "${mnt:-/}"; else echo "$mnt$path"; fi
}

# run STEP CMD...: CMD's stdout/stderr/status into OUT/STEP.{out,err,rc}
run() {
  local step=$1 rc t0
  shift
  t0=$(now)
  "$@" > "$OUT/$step.out" 2> "$OUT/$step.err"
  rc=$?
  echo "$rc" > "$OUT/$step.rc"
  say "$step: exit $rc after $(awk -v a="$t0" -v b="$(now)" 'BEGIN{printf "%.1f", b-a}') s"
}

SELF_DIR=$(own_dir)
say "start uptime $(now) s, cgroup $(cat /proc/self/cgroup), dir $SELF_DIR, java $JAVA"
echo 0 > "$OUT/started"

for spec in "$@"; do
  step=${spec%%:*} arg=
  [ "$step" != "$spec" ] && arg=${spec#*:}
  case $step in
    info)
      {
        echo "cgroup: $(cat /proc/self/cgroup)"
        echo "mountinfo: $(awk '{for (i = 7; $i != "-"; i++); if ($(i + 1) == "cgroup2") print}' /proc/self/mountinfo)"
        echo "dir: $SELF_DIR"
        echo "memory.max: $(cat "$SELF_DIR/memory.max" 2>&1)"
        echo "controllers: $(cat "$SELF_DIR/cgroup.controllers" 2>&1)"
        echo "uname: $(uname -r)"
      } > "$OUT/info.txt"
      say "info: $(tr '\n' ';' < "$OUT/info.txt")"
      ;;
    snapshot)
      run snapshot "$JAVA" -XshowSettings:system -jar "$AGENT" --json
      cat "$SELF_DIR/memory.pressure" > "$OUT/snapshot.pressure" 2>&1
      ;;
    precache)
      if [ "$SELF_DIR" != /sys/fs/cgroup ] && [ -w /sys/fs/cgroup/cgroup.procs ]; then
        t0=$(now)
        jh=$(dirname "$(dirname "$(readlink -f "$JAVA")")")
        libs=$(ldd "$JAVA" "$jh/lib/server/libjvm.so" "$jh"/lib/*.so 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// {print $3}' | sort -u)
        # shellcheck disable=SC2016,SC2086 # expanded by the inner sh; libs: one path a word
        sh -c 'echo $$ > /sys/fs/cgroup/cgroup.procs && exec find -L "$@" -type f ! -name src.zip ! -name ct.sym ! -name "classes_*.jsa" -exec cat {} +' \
          sh "$jh/lib" "$AGENT" "$EXAMPLES" $libs > /dev/null
        say "precache: read $jh/lib, the jars and $(echo "$libs" | wc -w) libraries from the root cgroup in $(awk -v a="$t0" -v b="$(now)" 'BEGIN{printf "%.1f", b-a}') s"
      else
        say "precache: root cgroup not reachable, skipped"
      fi
      ;;
    oom)
      echo -1000 > /proc/self/oom_score_adj  # the kernel must pick Java, not us
      cat "$SELF_DIR/memory.events" > "$OUT/oom.events-before"
      run oom sh -c 'echo 0 > /proc/self/oom_score_adj && exec "$@"' sh \
        "$JAVA" -XX:MaxDirectMemorySize=1g "-javaagent:$AGENT" -cp "$EXAMPLES" \
        dev.headroom.examples.Grow --quiet direct "${arg:-16M}"
      cat "$SELF_DIR/memory.events" > "$OUT/oom.events-after"
      echo 0 > /proc/self/oom_score_adj
      say "oom: memory.events after: $(tr '\n' ' ' < "$OUT/oom.events-after")"
      ;;
    relief)
      echo -1000 > /proc/self/oom_score_adj  # if relief fails, the kernel must pick Java, not us
      run relief sh -c 'echo 0 > /proc/self/oom_score_adj && exec "$@"' sh \
        "$JAVA" -XX:+UseG1GC -Xmx200m -XX:MaxDirectMemorySize=1g \
        "-javaagent:$AGENT=relief=heap,readinessFile=$OUT/ready" -cp "$EXAMPLES" \
        dev.headroom.examples.ReliefScenario --heap-burst 150M --grow direct --to 150M --rate "${arg:-20M}" --hold 3s
      if [ -e "$OUT/ready" ]; then echo present; else echo absent; fi > "$OUT/relief.ready"
      echo 0 > /proc/self/oom_score_adj
      say "relief: exit $(cat "$OUT/relief.rc"), readiness file $(cat "$OUT/relief.ready")"
      ;;
    nested)
      leaf=$SELF_DIR/v2check-leaf child=$SELF_DIR/v2check-child
      {
        echo "parent: $SELF_DIR"
        echo "child: $child"
        mkdir -p "$leaf"
        ok=0
        for _ in 1 2 3 4 5; do  # processes may fork while we move them
          while read -r p; do echo "$p" > "$leaf/cgroup.procs" 2>/dev/null; done < "$SELF_DIR/cgroup.procs"
          if echo +memory > "$SELF_DIR/cgroup.subtree_control"; then ok=1; break; fi
          sleep 0.1
        done
        echo "subtree_control: $(cat "$SELF_DIR/cgroup.subtree_control") (ok=$ok)"
        mkdir -p "$child"
        echo "${arg:-512M}" > "$child/memory.max"
        echo "child memory.max: $(cat "$child/memory.max" 2>&1)"
        echo "parent memory.max: $(cat "$SELF_DIR/memory.max" 2>&1)"
      } > "$OUT/nested.txt" 2>&1
      # shellcheck disable=SC2016 # expanded by the inner bash
      run nested bash -c 'echo $BASHPID > "$0/cgroup.procs" && exec "$@"' \
        "$child" "$JAVA" -jar "$AGENT" --json
      say "nested: $(tr '\n' ';' < "$OUT/nested.txt")"
      ;;
    *)
      echo "v2check: unknown step $spec" >&2
      exit 2
      ;;
  esac
done
say "done uptime $(now) s"
echo 0 > "$OUT/done"
