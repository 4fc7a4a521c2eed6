#!/usr/bin/env python3
"""Measurement and report helpers for scripts/bench.sh (startup, footprint, reaction, RESULTS.md).

Every comparison runs its configurations interleaved (round 1: a, b, c; round 2: b, c, a; ...) so
that the load of a shared machine hits them alike; ratios are medians of per-round ratios against
the baseline measured in the same round, next to the ratio of the medians.
Subcommands: startup, footprint, reaction, report (see bench.sh for the arguments).
"""
import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def run_measured(cmd, env=None, timeout=120):
    """Runs cmd; returns (wall seconds, cpu seconds user+sys of the child, exit code, stdout, stderr)."""
    start = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    out_chunks, err_chunks = [], []
    t_out = threading.Thread(target=lambda: out_chunks.append(p.stdout.read()))
    t_err = threading.Thread(target=lambda: err_chunks.append(p.stderr.read()))
    t_out.start()
    t_err.start()
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - start
    t_out.join()
    t_err.join()
    p.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    return wall, cpu, p.returncode, out_chunks[0].decode(errors="replace"), err_chunks[0].decode(errors="replace")


def interleaved(configs, runs, warmup, measure):
    """configs: {name: arg}; measure(name, arg) -> dict of numbers. Returns {name: [dict per round]}."""
    names = list(configs)
    for _ in range(warmup):
        for n in names:
            measure(n, configs[n])
    results = {n: [] for n in names}
    for r in range(runs):
        order = names[r % len(names):] + names[:r % len(names)]
        for n in order:
            results[n].append(measure(n, configs[n]))
    return results


def paired_ratio(results, name, base, key):
    ratios = []
    for a, b in zip(results[name], results[base]):
        if a.get(key) is not None and b.get(key):
            ratios.append(a[key] / b[key])
    return median(ratios)


def summarize(results, base, keys):
    summary = {}
    for n, rows in results.items():
        s = {"runs": len(rows)}
        for k in keys:
            s[k] = median([r.get(k) for r in rows])
            if base in results:
                s[k + "_ratio"] = paired_ratio(results, n, base, k)
                mb = median([r.get(k) for r in results[base]])
                s[k + "_ratio_of_medians"] = s[k] / mb if s[k] is not None and mb else None
        summary[n] = s
    return summary


# ----------------------------------------------------------------------------------- startup

def startup(args):
    java, examples, agent, empty, apps, lib, runs, out = args[:8]
    runs = int(runs)
    micrometer_cp = os.environ.get("MICROMETER_APP_CP") or (apps + ":" + lib + "/*")
    micrometer_main = os.environ.get("MICROMETER_APP_MAIN") or "headroombench.MicrometerHello"
    hello = {
        "no agent": [java, "-cp", examples, "dev.headroom.examples.Hello"],
        "empty agent": [java, "-javaagent:" + empty, "-cp", examples, "dev.headroom.examples.Hello"],
        "headroom": [java, "-javaagent:" + agent, "-cp", examples, "dev.headroom.examples.Hello"],
    }
    micrometer = {
        "no agent": [java, "-cp", micrometer_cp, micrometer_main],
        "empty agent": [java, "-javaagent:" + empty, "-cp", micrometer_cp, micrometer_main],
        "headroom": [java, "-javaagent:" + agent, "-cp", micrometer_cp, micrometer_main],
        "headroom micrometer=false": [java, "-javaagent:" + agent + "=micrometer=false", "-cp", micrometer_cp,
                                      micrometer_main],
    }

    # Byte Buddy runs after the agent's start delay, so the app above exits before it: its CPU is
    # measured on the same app staying 3 s (publishing its meters, so the registry gets bound)
    lingering = {
        "headroom": [java, "-javaagent:" + agent, "-cp", micrometer_cp, micrometer_main, "3000"],
        "headroom micrometer=false": [java, "-javaagent:" + agent + "=micrometer=false", "-cp", micrometer_cp,
                                      micrometer_main, "3000"],
    }

    def measure(_, cmd):
        wall, cpu, rc, so, se = run_measured(cmd)
        m = re.search(r"main-at-ms=(\d+)", se)
        meters = re.search(r"meters-at-exit=(\d+)", se)
        return {"wall_ms": wall * 1000, "cpu_ms": cpu * 1000, "rc": rc,
                "main_ms": float(m.group(1)) if m else None,
                "meters": int(meters.group(1)) if meters else None}

    res_hello = interleaved(hello, runs, 2, measure)
    res_micro = interleaved(micrometer, runs, 2, measure)
    res_linger = interleaved(lingering, max(3, runs // 4), 1, measure)
    keys = ["wall_ms", "cpu_ms", "main_ms"]
    data = {
        "runs": runs,
        "hello": {"commands": {k: " ".join(v) for k, v in hello.items()},
                  "summary": summarize(res_hello, "empty agent", keys),
                  "vs_none": summarize(res_hello, "no agent", keys),
                  "failures": sum(1 for rows in res_hello.values() for r in rows if r["rc"] != 0)},
        "micrometer": {"commands": {k: " ".join(v) for k, v in micrometer.items()},
                       "summary": summarize(res_micro, "empty agent", keys),
                       "bytebuddy_cpu_ms": paired_diff(res_linger, "headroom", "headroom micrometer=false", "cpu_ms"),
                       "bytebuddy_runs": len(res_linger["headroom"]),
                       "bytebuddy_commands": {k: " ".join(v) for k, v in lingering.items()},
                       "meters_bound": [r["meters"] for r in res_linger["headroom"]],
                       "meters_unbound": [r["meters"] for r in res_linger["headroom micrometer=false"]],
                       "failures": sum(1 for rows in res_micro.values() for r in rows if r["rc"] != 0)},
    }
    json.dump(data, open(out, "w"), indent=1)


def paired_diff(results, a, b, key):
    return median([x[key] - y[key] for x, y in zip(results[a], results[b])])


# --------------------------------------------------------------------------------- footprint

def footprint(args):
    java, agent, empty, apps, lib, runs, idle_ms, workdir, out = args[:9]
    runs = int(runs)
    cp = apps + ":" + lib + "/*"
    # without Micrometer on the class path: the agent must not start its Micrometer support at all
    plain_cp = apps
    configs = {
        "no agent": ([], ""),
        "empty agent": (["-javaagent:" + empty], ""),
        "headroom": (["-javaagent:" + agent], ""),
        "no agent, Micrometer app": ([], "micrometer"),
        "headroom, Micrometer app": (["-javaagent:" + agent], "micrometer"),
        "headroom jmx=false": (["-javaagent:" + agent + "=jmx=false"], ""),
        "empty agent, app with an MBean server": (["-javaagent:" + empty], "jmx"),
        "headroom, app with an MBean server": (["-javaagent:" + agent], "jmx"),
    }
    counter = [0]

    def measure(name, cfg):
        flags, mode = cfg
        counter[0] += 1
        log = os.path.join(workdir, "classload-%d.log" % counter[0])
        cmd = [java] + flags + ["-Xlog:class+load=info:file=" + log, "-cp", cp if mode == "micrometer" else plain_cp,
                                "headroombench.Footprint", idle_ms]
        if mode:
            cmd.append(mode)
        wall, cpu, rc, so, se = run_measured(cmd)
        row = {"rc": rc}
        for line in so.splitlines():
            k, _, v = line.partition("=")
            if k in ("heap-used", "threads", "classes", "rss", "meters"):
                row[k.replace("-", "_")] = float(v)
            elif k == "thread-names":
                row["thread_names"] = v
        total = agent_classes = 0
        agent_names = []
        with open(log, errors="replace") as f:
            for line in f:
                if "][class,load]" not in line:
                    continue
                total += 1
                m = re.search(r"\] (\S+) source: (.*)$", line)
                if m and "headroom-agent.jar" in m.group(2):
                    agent_classes += 1
                    agent_names.append(m.group(1))
        os.remove(log)
        row["classes_logged"] = total
        row["agent_classes"] = agent_classes
        row["agent_class_names"] = agent_names
        return row

    res = interleaved(configs, runs, 0, measure)
    keys = ["heap_used", "threads", "classes", "classes_logged", "agent_classes", "rss", "meters"]
    summary = {}
    for n, rows in res.items():
        s = {k: median([r.get(k) for r in rows]) for k in keys}
        s["runs"] = len(rows)
        s["failures"] = sum(1 for r in rows if r["rc"] != 0)
        s["thread_names"] = rows[-1].get("thread_names", "")
        s["agent_class_names"] = rows[-1].get("agent_class_names", [])
        s["heap_used_all"] = [r.get("heap_used") for r in rows]
        summary[n] = s
    json.dump({"runs": runs, "idle_ms": int(idle_ms), "summary": summary,
               "command": " ".join([java, "[agent]", "-Xlog:class+load=info:file=LOG", "-cp", plain_cp + "[:" + lib + "/* with micrometer]",
                                     "headroombench.Footprint", idle_ms, "[micrometer]"])},
              open(out, "w"), indent=1)


# ---------------------------------------------------------------------------------- reaction

def reaction(args):
    script, java, agent, examples, runs, rates, out = args[:7]
    runs = int(runs)
    results = {}
    for rate in rates.split(","):
        rows = []
        for _ in range(runs):
            cmd = [script, "256M", "--", java, "-XX:MaxDirectMemorySize=1g", "-javaagent:" + agent, "-cp", examples,
                   "dev.headroom.examples.Grow", "direct", rate]
            rows.append(one_reaction(cmd))
        results[rate] = {"runs": rows,
                         "warning_to_kill_s": median([r["warning_to_kill_s"] for r in rows]),
                         "critical_to_kill_s": median([r["critical_to_kill_s"] for r in rows]),
                         "start_to_kill_s": median([r["start_to_kill_s"] for r in rows]),
                         "warning_utilization": median([r["warning_utilization"] for r in rows]),
                         "killed": sum(1 for r in rows if r["rc"] == 137)}
    json.dump({"runs": runs, "command": " ".join(cmd[:-1]) + " RATE", "rates": results}, open(out, "w"), indent=1)


STATE_WARNING = re.compile(r"^\[headroom\] WARNING (level|trend|status|limit-hit)\b")
STATE_CRITICAL = re.compile(r"^\[headroom\] CRITICAL ")


def one_reaction(cmd):
    start = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    events = {}
    lines = []

    def pump(stream, name):
        for raw in iter(stream.readline, b""):
            t = time.monotonic() - start
            line = raw.decode(errors="replace").rstrip("\n")
            lines.append((round(t, 3), name, line[:240]))
            if "grow start" in line and "grow_start" not in events:
                events["grow_start"] = t
            if STATE_WARNING.search(line) and "warning" not in events:
                events["warning"] = t
                m = re.search(r"([0-9.]+)% of limit", line)
                events["warning_utilization"] = float(m.group(1)) if m else None
                events["warning_line"] = line[:300]
            if STATE_CRITICAL.search(line) and "critical" not in events:
                events["critical"] = t
                events["critical_line"] = line[:300]

    threads = [threading.Thread(target=pump, args=(p.stdout, "out")),
               threading.Thread(target=pump, args=(p.stderr, "err"))]
    for t in threads:
        t.start()
    rc = p.wait()
    end = time.monotonic() - start
    for t in threads:
        t.join()
    killed = rc == 137
    return {"rc": rc, "end_s": round(end, 3),
            "start_to_kill_s": round(end - events["grow_start"], 3) if killed and "grow_start" in events else None,
            "warning_to_kill_s": round(end - events["warning"], 3) if killed and "warning" in events else None,
            "critical_to_kill_s": round(end - events["critical"], 3) if killed and "critical" in events else None,
            "warning_utilization": events.get("warning_utilization"),
            "warning_line": events.get("warning_line"), "critical_line": events.get("critical_line"),
            "lines": lines[-12:]}


if __name__ == "__main__":
    {"startup": startup, "footprint": footprint, "reaction": reaction}[sys.argv[1]](sys.argv[2:])
