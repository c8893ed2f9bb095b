#!/usr/bin/env python3
"""Issue 19's probes against a running sandbox: setParams growth (296 calls with
a 60 KB instruction), tags growth (300 PUTs of 500 new tags; tags10: of 10),
with a concurrent GET /v1/projects timed throughout. Prints one JSON line.

    authscope sandbox --addr 127.0.0.1:18794 --quiet & pid=$!
    python3 bench/scale_probe.py http://127.0.0.1:18794 $pid params   # or tags, tags10
"""
import json, sys, threading, time, statistics
import requests

base, pid, which = sys.argv[1], int(sys.argv[2]), sys.argv[3]
auth = ("live_0123456789abcdef0123456789abcdef", "")
s = requests.Session()

def rss():
    out = {}
    for line in open(f"/proc/{pid}/status"):
        k, _, v = line.partition(":")
        if k in ("VmRSS", "VmHWM"):
            out[k] = int(v.split()[0]) // 1024
    return out

stop = threading.Event()
lat = []
def watcher():
    w = requests.Session()
    while not stop.is_set():
        t = time.perf_counter()
        w.get(base + "/scale/v1/projects", auth=auth)
        lat.append(time.perf_counter() - t)
        time.sleep(0.01)

start_rss = rss()
th = threading.Thread(target=watcher); th.start()
t0 = time.perf_counter()
statuses, sizes = {}, []
if which == "params":
    s.post(base + "/scale/v1/projects", auth=auth, json={"type": "categorization", "name": "probe-params", "params": {"instruction": "x"}})
    instr = "I" * 60_000
    for i in range(296):
        r = s.post(base + "/scale/v1/projects/probe-params/setParams", auth=auth, json={"instruction": instr + str(i)})
        statuses[r.status_code] = statuses.get(r.status_code, 0) + 1
        sizes.append(len(r.content))
else:
    tid = s.get(base + "/scale/v1/tasks?limit=1", auth=auth).json()["docs"][0]["task_id"]
    n = 0
    for i in range(300):
        k = 10 if which == "tags10" else 500
        tags = [f"tag-{n + j:07d}-xxxxxxxx" for j in range(k)]
        n += k
        r = s.put(base + f"/scale/v1/task/{tid}/tags", auth=auth, json=tags)
        statuses[r.status_code] = statuses.get(r.status_code, 0) + 1
        sizes.append(len(r.content))
took = time.perf_counter() - t0
stop.set(); th.join()
end_rss = rss()
lat.sort()
print(json.dumps({"probe": which, "seconds": round(took, 2), "statuses": statuses,
    "last_answer_bytes": sizes[-1], "max_answer_bytes": max(sizes),
    "rss_mib_start": start_rss["VmRSS"], "rss_mib_end": end_rss["VmRSS"], "peak_rss_mib": end_rss["VmHWM"],
    "get_projects_n": len(lat), "get_projects_median_ms": round(statistics.median(lat) * 1000, 2),
    "get_projects_p99_ms": round(lat[int(len(lat) * 0.99) - 1] * 1000, 2), "get_projects_max_ms": round(lat[-1] * 1000, 2)}))
