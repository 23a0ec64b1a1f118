#!/usr/bin/env bash
# The full CrowS-Pairs run (pll-unmodified, bert-base-uncased) in Unmask and in careful transformers code, in ONE
# sitting, alternating, so both see the same machine (issue 16: "the full CrowS-Pairs run >= 2.5x careful
# transformers code"):
#   round r: `unmask benchmark crows-pairs --variant pll-unmodified` (a new JVM: the executor's answer cache lives in
#            memory only, so every run is cold; the generated ONNX graph in ~/.cache/unmask/onnx is reused, as the
#            peers reuse their torch.onnx export), then tools/peers/crows_pairs_peers.py with PEERS
# and prints one table: per round and side, wall and CPU seconds, rows/s, pairs/s, the load average, and the ratio
# Unmask / side inside the round in wall time and in CPU time (the steadier figure on a shared host).
#
# What is timed: Unmask = the whole process (/usr/bin/time: JVM start, model load, alignment, the forward passes,
# bootstrap CIs, writing the result); a peer = its model load + tokenising, aligning, the forward passes and the metric
# (Python start and imports not counted, which favours the peers by a few seconds).
#
# Usage: tools/peers/run_crows_comparison.sh [ROUNDS] (default 2); environment:
#   PY=python with torch, transformers, onnx, onnxruntime (tools/fixtures/README.md; default /tmp/bbqenv/bin/python)
#   PEERS (default per-sentence,sorted; add ort for the torch.onnx export on ONNX Runtime pip)
#   PRECISION (fp32): Unmask's --precision (int8: DynamicQuantizeMatMul; the peers stay fp32)
#   LIMIT (0 = all 1,508 pairs; N = the first N pairs on both sides), THREADS (2), BATCH (32), OUT (results folder)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
rounds="${1:-2}"
py="${PY:-/tmp/bbqenv/bin/python}"
peers="${PEERS:-per-sentence,sorted}"
limit="${LIMIT:-0}"
threads="${THREADS:-2}"
batch="${BATCH:-32}"
precision="${PRECISION:-fp32}"
out="${OUT:-$(mktemp -d /tmp/crows-comparison.XXXXXX)}"
mkdir -p "$out"
export UNMASK_THREADS="$threads" OMP_NUM_THREADS="$threads"
"$root/unmask" --version >/dev/null # build first, so no round pays for it
echo "results in $out; $rounds rounds; limit $limit; peers $peers; load at start: $(cut -d' ' -f1-3 /proc/loadavg)" \
  | tee "$out/conditions.txt"
for r in $(seq 1 "$rounds"); do
  echo "== round $r: unmask ($(date -u +%H:%M:%S), load $(cut -d' ' -f1 /proc/loadavg))" | tee -a "$out/conditions.txt"
  cut -d' ' -f1 /proc/loadavg > "$out/unmask-$r.load"
  /usr/bin/time -v -o "$out/unmask-$r.time" "$root/unmask" benchmark crows-pairs --variant pll-unmodified \
    --limit "$limit" --batch-size "$batch" --precision "$precision" --out "$out/unmask-$r" > "$out/unmask-$r.txt" 2> "$out/unmask-$r.err"
  cut -d' ' -f1 /proc/loadavg >> "$out/unmask-$r.load"
  grep -E 'overall|timing' "$out/unmask-$r.txt"
  echo "== round $r: peers ($(date -u +%H:%M:%S), load $(cut -d' ' -f1 /proc/loadavg))" | tee -a "$out/conditions.txt"
  cut -d' ' -f1 /proc/loadavg > "$out/peers-$r.load"
  "$py" "$root/tools/peers/crows_pairs_peers.py" --peers "$peers" --limit "$limit" --threads "$threads" \
    --batch "$batch" --compare "$(ls "$out/unmask-$r"/crows-pairs--*.json)" --out "$out/peers-$r.json" 2>&1 \
    | grep -E '^(CrowS|per-sentence|sorted|ort)' | tee "$out/peers-$r.txt"
  cut -d' ' -f1 /proc/loadavg >> "$out/peers-$r.load"
done
echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg) ($(date -u +%H:%M:%S))" | tee -a "$out/conditions.txt"
"$py" - "$out" "$rounds" <<'EOF'
import json, re, statistics, sys
from pathlib import Path

out, rounds = Path(sys.argv[1]), int(sys.argv[2])


def gnu_time(path):
    t = path.read_text()
    user = float(re.search(r"User time \(seconds\): ([\d.]+)", t).group(1))
    sys_ = float(re.search(r"System time \(seconds\): ([\d.]+)", t).group(1))
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", t).group(1).split(":")
    secs = sum(float(x) * 60 ** i for i, x in enumerate(reversed(wall)))
    return secs, user + sys_


def load(path):
    return "–".join(path.read_text().split())


ratios = {}
print("\n| round | side | load (start–end) | wall s | CPU s | rows | rows/s | pairs/s | metric |"
      " unmask / side: wall | unmask / side: CPU |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
for r in range(1, rounds + 1):
    res = json.loads(next((out / f"unmask-{r}").glob("crows-pairs--*.json")).read_text())
    wall, cpu = gnu_time(out / f"unmask-{r}.time")
    rows = res["timing"]["forwardPasses"]
    pairs = next(m for m in res["metrics"] if m.get("group") == "overall")
    n = pairs.get("n") or pairs.get("details", {}).get("pairs")
    value = pairs.get("value")
    print(f"| {r} | **unmask** (process; in-run {res['timing']['wallSeconds']:.0f} s) | {load(out / f'unmask-{r}.load')} |"
          f" {wall:.1f} | {cpu:.1f} | {rows} | {rows / wall:.1f} | {n / wall:.3f} | {value:.2f} | | |")
    data = json.loads((out / f"peers-{r}.json").read_text())
    for p in data["peers"]:
        pw, pc = p["wall_s"] + p["load_wall_s"], p["cpu_s"] + p["load_cpu_s"]
        rw, rc = pw / wall, pc / cpu
        ratios.setdefault(p["peer"], []).append((rw, rc))
        cmp = p.get("compare", {})
        print(f"| {r} | {p['peer']} | {load(out / f'peers-{r}.load')} | {pw:.1f} | {pc:.1f} | {p['rows']} |"
              f" {p['rows'] / pw:.1f} | {data['pairs'] / pw:.3f} | {p['metric']['overall']:.2f}"
              f" ({cmp.get('pairs_with_other_outcome', '?')} outcomes differ) | **{rw:.2f}x** | **{rc:.2f}x** |")
print()
for peer, rs in ratios.items():
    print(f"{peer}: unmask / peer, median over {len(rs)} round(s): wall {statistics.median(x[0] for x in rs):.2f}x,"
          f" CPU {statistics.median(x[1] for x in rs):.2f}x")
EOF
