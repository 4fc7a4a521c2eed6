#!/usr/bin/env bash
# bench-micrometer.sh [--update] [RUNS]
#
# Reproduces the Micrometer figures of benchmarks/RESULTS.md (section "Micrometer binding"):
#   1. binding CPU: headroombench.MicrometerHello 3000 (one SimpleMeterRegistry, published every
#      250 ms) with the agent and with micrometer=false, interleaved; CPU = user + sys of the
#      whole process (wait4 rusage); the figure is the median of the paired differences.
#   2. Spring Boot: examples/spring-boot to "Started" without and with the agent, interleaved:
#      "process running for" (JVM start to Started) and the process's CPU at that line
#      (/proc/PID/stat); with the agent, whether /actuator/prometheus shows our series.
# Prints the section as Markdown (progress on stderr); --update also puts it into
# benchmarks/RESULTS.md as section "5. Micrometer binding" (scripts/bench.sh keeps it).
# RUNS per configuration (default 10). Needs `mvn -DskipTests package` done.
# Environment: JAVA_HOME (default /usr/lib/jvm/java-17-openjdk-amd64); OLD_AGENT=path/to/an/older
# headroom-agent.jar adds it to the Spring Boot runs as a third configuration, for a before/after.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
UPDATE=0
if [ "${1:-}" = --update ]; then UPDATE=1; shift; fi
RUNS=${1:-10}
JAVA=${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}/bin/java
exec python3 - "$ROOT" "$RUNS" "$JAVA" "$UPDATE" "${OLD_AGENT:-}" <<'PY'
import glob, os, re, statistics, subprocess, sys, threading, time, urllib.request

root, runs, java, update, old_agent = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4] == "1", sys.argv[5]
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

load_start = open('/proc/loadavg').read().split()[:3]
print(f"load at start: {load_start}", file=sys.stderr)
diffs, meters = [], []
hello = ["-cp", cp, "headroombench.MicrometerHello", "3000"]
for i in range(runs):
    on, m_on = cpu_of_run([java, f"-javaagent:{agent}"] + hello)
    off, m_off = cpu_of_run([java, f"-javaagent:{agent}=micrometer=false"] + hello)
    diffs.append(on - off)
    meters.append((m_on, m_off))
    print(f"binding run {i + 1}: agent {on:.0f} ms, micrometer=false {off:.0f} ms, difference {on - off:.0f} ms, "
          f"meters {m_on}/{m_off}", file=sys.stderr)

def spring(jar):
    env = dict(os.environ)
    env.pop("JAVA_TOOL_OPTIONS", None)
    cmd = [java] + ([f"-javaagent:{jar}"] if jar else []) + ["-jar", boot, "--server.port=0"]
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    started = cpu = port = bound = None
    # the agent's own threads: polled every 100 ms (a headroom thread idles 3 s before it ends,
    # so its last poll has all its CPU); summed at "Started"
    own, stop = {}, threading.Event()
    def poll():
        while not stop.is_set():
            for t in glob.glob(f"/proc/{p.pid}/task/*/stat"):
                try:
                    st = open(t).read()
                except OSError:
                    continue
                if st[st.index("(") + 1:st.rindex(")")].startswith("headroom"):
                    f = st.rsplit(")", 1)[1].split()
                    own[t] = (int(f[11]) + int(f[12])) * 1000 / tick
            stop.wait(0.1)
    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
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
                stop.set()
                poller.join()
                break
        if jar and port:
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
        return started, cpu, bound, sum(own.values())
    finally:
        stop.set()
        p.terminate()
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            p.kill()

configs = [("no agent", None), ("headroom", agent)] + ([("headroom before (OLD_AGENT)", old_agent)] if old_agent else [])
for _, jar in configs:
    spring(jar)  # warm-up: page cache
results = {name: [] for name, _ in configs}
for i in range(runs):
    for name, jar in configs:
        results[name].append(spring(jar))
    print(f"spring run {i + 1}: " + ", ".join(f"{n} {results[n][-1][0]:.0f} ms / {results[n][-1][1]:.0f} ms CPU"
                                               f" / {results[n][-1][3]:.0f} ms headroom"
                                               f"{'' if results[n][-1][2] is None else ' bound ' + str(results[n][-1][2])}"
                                               for n, _ in configs), file=sys.stderr)
load_end = open('/proc/loadavg').read().split()[:3]

med = statistics.median
cpu_ms = med(diffs)
w = []
w.append("## 5. Micrometer binding")
w.append("")
w.append(f"Generated by `scripts/bench-micrometer.sh` ({runs} runs per configuration, interleaved; "
         f"`{os.path.basename(java.rsplit('/bin/', 1)[0])}`; load {' '.join(load_start)} at start, "
         f"{' '.join(load_end)} at end; {time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())}).")
w.append("")
w.append("| target | measured | |")
w.append("|---|---|---|")
w.append(f"| binding CPU ≤ 250 ms (whole process with the agent − with `micrometer=false`, one SimpleMeterRegistry) "
         f"| {cpu_ms:.0f} ms | **{'met' if cpu_ms <= 250 else 'not met'}** |")
base = results["no agent"]
ratio = lambda name, k: med([r[k] / b[k] for r, b in zip(results[name], base)])
walls = sorted(r[0] for r in base)
spread = (walls[(3 * len(walls)) // 4] - walls[len(walls) // 4]) / med(walls)  # interquartile range / median
verdict = "met" if ratio("headroom", 0) <= 1.05 and all(r[2] for r in results["headroom"]) else "not met"
noisy = f" (inconclusive: the runs without agent spread {spread:.0%}, interquartile, against a 5% target)" if spread > 0.10 else ""
w.append(f"| Spring Boot to \"Started\": ≤ 5% over no agent, meters bound (median of paired ratios, wall) "
         f"| {ratio('headroom', 0):.3f}× (CPU {ratio('headroom', 1):.3f}×; headroom's threads {med([r[3] for r in results['headroom']]):.0f} ms CPU), "
         f"bound {sum(1 for r in results['headroom'] if r[2])}/{runs} "
         f"| **{verdict}**{noisy} |")
w.append("")
w.append("### Binding CPU")
w.append("")
w.append("`headroombench.MicrometerHello 3000`: creates a SimpleMeterRegistry, stays 3 s publishing it every 250 ms; "
         "CPU = user + sys of the whole process (`wait4`). Difference per pair, sorted: "
         + ", ".join(f"{d:.0f}" for d in sorted(diffs)) + " ms. Meters at exit with the agent "
         + str([m[0] for m in meters]) + ", with `micrometer=false` " + str([m[1] for m in meters]) + ".")
w.append("")
w.append("### Spring Boot to \"Started\" (`examples/spring-boot`, Spring Boot 3.5, Actuator + Prometheus)")
w.append("")
w.append("Wall = Spring Boot's \"process running for\" (JVM start to Started); CPU = the process's user + sys "
         "(`/proc/PID/stat`) when that line is printed; headroom threads' CPU = user + sys of the agent's own threads "
         "(`headroom-sampler`, `headroom-micrometer`, ...; polled every 100 ms, ended ones included) until then: "
         "the agent's cost without the JIT and GC noise of the whole process (the hook calls on application "
         "threads are not in it); bound = `/actuator/prometheus` shows `container_memory_working_set_bytes` within 30 s.")
w.append("")
w.append("| configuration | wall ms (median) | vs no agent | CPU ms (median) | vs no agent | headroom threads' CPU ms (median) | bound |")
w.append("|---|---:|---:|---:|---:|---:|---:|")
for name, _ in configs:
    rs = results[name]
    b = "" if rs[0][2] is None else f"{sum(1 for r in rs if r[2])}/{runs}"
    w.append(f"| {name} | {med([r[0] for r in rs]):.0f} | {ratio(name, 0):.3f}× | {med([r[1] for r in rs]):.0f} "
             f"| {ratio(name, 1):.3f}× | {med([r[3] for r in rs]):.0f} | {b} |")
w.append("")
w.append("Per run (wall ms): " + "; ".join(f"{n}: " + ", ".join(f"{r[0]:.0f}" for r in results[n]) for n, _ in configs) + ".")
w.append("")
text = "\n".join(w)
print(text)
if update:
    path = f"{root}/benchmarks/RESULTS.md"
    old = open(path).read()
    start = old.find("## 5. Micrometer binding")
    if start >= 0:
        nxt = old.find("\n## ", start + 1)
        old = old[:start] + (old[nxt + 1:] if nxt >= 0 else "")
    open(path, "w").write(old.rstrip("\n") + "\n\n" + text)
PY
