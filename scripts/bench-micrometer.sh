#!/usr/bin/env bash
# bench-micrometer.sh [RUNS]
#
# Reproduces the Micrometer figures of benchmarks/RESULTS.md (section "Micrometer binding"):
#   1. binding CPU: headroombench.MicrometerHello 3000 (one SimpleMeterRegistry, published every
#      250 ms) with the agent and with micrometer=false, interleaved; CPU = user + sys of the
#      whole process (wait4 rusage); the figure is the median of the paired differences.
#   2. Spring Boot: examples/spring-boot to "Started" without and with the agent, interleaved:
#      "process running for" (JVM start to Started) and the process's CPU at that line
#      (/proc/PID/stat); with the agent, whether /actuator/prometheus shows our series.
# RUNS per configuration (default 10). Needs `mvn -DskipTests package` done.
# Environment: JAVA_HOME (default /usr/lib/jvm/java-17-openjdk-amd64).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${1:-10}
JAVA=${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}/bin/java
exec python3 - "$ROOT" "$RUNS" "$JAVA" <<'PY'
import os, re, statistics, subprocess, sys, time, urllib.request

root, runs, java = sys.argv[1], int(sys.argv[2]), sys.argv[3]
agent = f"{root}/agent/target/headroom-agent.jar"
b = f"{root}/benchmarks/target"
cp = f"{b}/bench-apps.jar:{b}/bench-lib/*"
boot = f"{root}/examples/spring-boot/target/spring-boot-example.jar"
tick = os.sysconf("SC_CLK_TCK")

def cpu_of_run(cmd):
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _, _, ru = os.wait4(p.pid, 0)
    err = p.stderr.read()
    m = re.search(r"meters-at-exit=(\d+)", err)
    return (ru.ru_utime + ru.ru_stime) * 1000, int(m.group(1)) if m else -1

print(f"load at start: {open('/proc/loadavg').read().split()[:3]}", file=sys.stderr)
print("## binding CPU (MicrometerHello 3000)")
diffs, meters = [], []
for i in range(runs):
    on, m_on = cpu_of_run([java, f"-javaagent:{agent}", "-cp", cp, "headroombench.MicrometerHello", "3000"])
    off, m_off = cpu_of_run([java, f"-javaagent:{agent}=micrometer=false", "-cp", cp, "headroombench.MicrometerHello", "3000"])
    diffs.append(on - off)
    meters.append((m_on, m_off))
    print(f"run {i + 1}: agent {on:.0f} ms, micrometer=false {off:.0f} ms, difference {on - off:.0f} ms, meters {m_on}/{m_off}", file=sys.stderr)
print(f"binding CPU: median {statistics.median(diffs):.0f} ms (paired differences {sorted(round(d) for d in diffs)}); "
      f"meters at exit with agent {[m[0] for m in meters]}, with micrometer=false {[m[1] for m in meters]}")

def spring(with_agent):
    env = dict(os.environ)
    env.pop("JAVA_TOOL_OPTIONS", None)
    cmd = [java]
    if with_agent:
        cmd.append(f"-javaagent:{agent}")
    cmd += ["-jar", boot, "--server.port=0"]
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    started = cpu = port = None
    try:
        for line in p.stdout:
            m = re.search(r"Tomcat started on port[s]?[ (:]*(\d+)", line)
            if m:
                port = int(m.group(1))
            m = re.search(r"Started \S+ in [\d.]+ seconds \(process running for ([\d.]+)\)", line)
            if m:
                with open(f"/proc/{p.pid}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                cpu = (int(fields[11]) + int(fields[12])) * 1000 / tick
                started = float(m.group(1)) * 1000
                break
        bound = None
        if with_agent and port:
            bound = False
            end = time.time() + 30
            while time.time() < end and not bound:
                try:
                    text = urllib.request.urlopen(f"http://127.0.0.1:{port}/actuator/prometheus", timeout=10).read().decode()
                    bound = "container_memory_working_set_bytes" in text
                except Exception:
                    pass
                if not bound:
                    time.sleep(0.5)
        return started, cpu, bound
    finally:
        p.terminate()
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            p.kill()

print("## Spring Boot to Started (examples/spring-boot)")
spring(False); spring(True)  # warm-up: page cache
rows = []
for i in range(runs):
    off = spring(False)
    on = spring(True)
    rows.append((off, on))
    print(f"run {i + 1}: no agent {off[0]:.0f} ms / {off[1]:.0f} ms CPU, agent {on[0]:.0f} ms / {on[1]:.0f} ms CPU, bound {on[2]}", file=sys.stderr)
med = lambda xs: statistics.median(xs)
wall_off, wall_on = med([r[0][0] for r in rows]), med([r[1][0] for r in rows])
cpu_off, cpu_on = med([r[0][1] for r in rows]), med([r[1][1] for r in rows])
print(f"Started, no agent: {wall_off:.0f} ms wall, {cpu_off:.0f} ms CPU (medians of {runs})")
print(f"Started, agent: {wall_on:.0f} ms wall, {cpu_on:.0f} ms CPU")
print(f"agent vs none: wall {wall_on / wall_off:.3f} (median of paired ratios {med([r[1][0] / r[0][0] for r in rows]):.3f}), "
      f"CPU {cpu_on / cpu_off:.3f} (median of paired ratios {med([r[1][1] / r[0][1] for r in rows]):.3f})")
print(f"meters bound with the agent: {sum(1 for r in rows if r[1][2])} of {runs}")
print(f"load at end: {open('/proc/loadavg').read().split()[:3]}", file=sys.stderr)
PY
