#!/usr/bin/env bash
# Unmask's causal paths and their transformers peers, measured in ONE run, alternating, so every side sees the same
# machine:
#   round r: `unmask perf causal` in each PRECISIONS entry (ONNX Runtime, the default engine; fp32 and int8), then
#            tools/peers/causal_peers.py (transformers eager, "careful" and/or "plain"), fp32 and, when int8 is among
#            the precisions, with --int8 (PyTorch dynamic int8 quantisation)
# and prints one table: per workload, the median over rounds of each side's throughput, Unmask's ratio to this
# machine's limit (FP32 peak or memory bandwidth, as `perf causal` prints it) and the median of the per-round ratios
# Unmask / peer (a ratio taken inside one round, a minute apart, is what survives a noisy host).
#
# Usage: tools/peers/run_causal_comparison.sh [ROUNDS] (default 2); environment:
#   CKPT (/tmp/gpt2-small-random: the random GPT-2-small checkpoint `perf causal --checkpoint` writes and both read)
#   PY=python with torch and transformers (tools/fixtures/README.md; default /tmp/bbqenv/bin/python)
#   PRECISIONS (fp32,int8), PEERS (careful; add plain for model()/generate()), WINDOWS (3), SECS (2), BATCHES (1,8,32),
#   NEW (32 new tokens), SAMPLES (16), THREADS (2), OUT (folder for the raw results; a temp folder)
# Both sides: THREADS threads whose idle waits do not spin (Unmask: ONNX Runtime allow_spinning=0, its default;
# peers: OMP_WAIT_POLICY=PASSIVE), the same weights, prompts of 12 random tokens.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
rounds="${1:-2}"
py="${PY:-/tmp/bbqenv/bin/python}"
ckpt="${CKPT:-/tmp/gpt2-small-random}"
precisions="${PRECISIONS:-fp32,int8}"
peers="${PEERS:-careful}"
windows="${WINDOWS:-3}"
seconds="${SECS:-2}"
batches="${BATCHES:-1,8,32}"
new="${NEW:-32}"
samples="${SAMPLES:-16}"
threads="${THREADS:-2}"
out="${OUT:-$(mktemp -d /tmp/causal-comparison.XXXXXX)}"
mkdir -p "$out"
export UNMASK_THREADS="$threads" OMP_NUM_THREADS="$threads"
{
  echo "results in $out; $rounds rounds; load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs), $(nproc) CPUs"
} | tee "$out/conditions.txt"
for r in $(seq 1 "$rounds"); do
  for p in ${precisions//,/ }; do
    echo "== round $r: unmask $p ($(date -u +%H:%M:%S), load $(cut -d' ' -f1 /proc/loadavg))"
    "$root/unmask" perf causal --backend onnx --precision "$p" --checkpoint "$ckpt" --windows "$windows" \
      --seconds "$seconds" --batches "$batches" --new-tokens "$new" --samples "$samples" --max-others 1000 \
      | tee "$out/unmask-$p-$r.txt"
  done
  for q in fp32 int8; do
    [[ ",$precisions," == *",$q,"* ]] || continue
    flag=()
    [[ $q == int8 ]] && flag=(--int8)
    echo "== round $r: transformers $q ($(date -u +%H:%M:%S), load $(cut -d' ' -f1 /proc/loadavg))"
    OMP_WAIT_POLICY=PASSIVE "$py" "$root/tools/peers/causal_peers.py" --model "$ckpt" --threads "$threads" \
      --seconds "$seconds" --windows "$windows" --batches "$batches" --new-tokens "$new" --samples "$samples" \
      --only "$peers" "${flag[@]}" 2>/dev/null | grep -E '^(int8 )?(careful|plain):' | tee "$out/peers-$q-$r.txt"
  done
done
echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/conditions.txt"
"$py" - "$out" "$rounds" "$precisions" <<'PYEOF'
import re, statistics, sys
from pathlib import Path

out, rounds, precisions = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3].split(",")
work = re.compile(r"^(?:(?P<peer>(?:int8 )?(?:careful|plain)): )?(?P<what>next-token scoring, batch (?P<b>\d+)|greedy"
                  r"|sampling)[^:]*:\s+(?:[\d.]+ prompts/s, )?(?P<rate>[\d.]+) (?:input|new) tokens/s"
                  r"(?:.*?(?P<ratio>[\d.]+) of (?P<limit>peak|memory bandwidth))?"
                  r"(?:.*?other processes (?P<others>[\d.]+) cores)?")


def key(m):
    w = m.group("what")
    return f"scoring b{m.group('b')} (input tok/s)" if w.startswith("next") else \
        ("greedy b1 (new tok/s)" if w == "greedy" else "sampling (new tok/s)")


# side -> workload -> [per-round rate]; limits/others: workload -> [per-round value] for each unmask precision
rates, limits, others = {}, {}, {}
for r in range(1, rounds + 1):
    for p in precisions:
        for line in (out / f"unmask-{p}-{r}.txt").read_text().splitlines():
            m = work.search(line)
            if m and not m.group("peer"):
                side = f"unmask {p}"
                rates.setdefault(side, {}).setdefault(key(m), []).append(float(m.group("rate")))
                if m.group("ratio"):
                    limits.setdefault(side, {}).setdefault(key(m), []).append(
                        f"{float(m.group('ratio')):.2f} of {m.group('limit')}")
                if m.group("others"):
                    others.setdefault(side, {}).setdefault(key(m), []).append(float(m.group("others")))
    for q in ("fp32", "int8"):
        f = out / f"peers-{q}-{r}.txt"
        if not f.exists():
            continue
        for line in f.read_text().splitlines():
            m = work.search(line)
            if m and m.group("peer"):
                side = "transformers " + m.group("peer").replace("int8 ", "") + (" int8" if q == "int8" else " fp32")
                rates.setdefault(side, {}).setdefault(key(m), []).append(float(m.group("rate")))

workloads = list(next(iter(rates.values())).keys())
unmask_sides = [s for s in rates if s.startswith("unmask")]
peer_sides = [s for s in rates if not s.startswith("unmask")]
print()
print("| workload | " + " | ".join(rates) + " | Unmask's limit ratio | " +
      " | ".join(f"{u.split()[1]} / {p.replace('transformers ', '')}" for u in unmask_sides for p in peer_sides) + " |")
print("|---" * (2 + len(rates) + len(unmask_sides) * len(peer_sides)) + "|")
for w in workloads:
    cells = [f"{statistics.median(rates[s][w]):.1f}" if w in rates[s] else "—" for s in rates]
    lim = "; ".join(f"{u.split()[1]}: {', '.join(limits.get(u, {}).get(w, []))}" for u in unmask_sides)
    ratios = []
    for u in unmask_sides:
        for p in peer_sides:
            a, b = rates[u].get(w, []), rates[p].get(w, [])
            per = [x / y for x, y in zip(a, b)]
            ratios.append(f"**{statistics.median(per):.2f}x** ({', '.join(f'{x:.2f}' for x in per)})" if per else "—")
    print(f"| {w} | " + " | ".join(cells) + f" | {lim} | " + " | ".join(ratios) + " |")
busy = {u: max((max(v) for v in others.get(u, {}).values()), default=0) for u in unmask_sides}
print()
print("most cores other processes used during an Unmask point: " + ", ".join(f"{u} {v:.2f}" for u, v in busy.items()))
PYEOF
