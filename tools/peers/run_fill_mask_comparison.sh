#!/usr/bin/env bash
# Unmask's fill-mask path and its peers, measured in ONE run, alternating, so both see the same machine:
#   round r: `unmask perf fill-mask` (Java, ONNX Runtime from the root pom, the graph Unmask generates)
#            then tools/peers/fill_mask_peers.py (transformers eager "direct", pipeline("fill-mask"),
#            torch.onnx exports on ONNX Runtime pip, and Unmask's own graph on ONNX Runtime pip)
# and prints one table: per batch size, the median over rounds of each side's sentences/s and of the per-round
# ratio Unmask / peer (a ratio taken inside one round, a minute apart, is what survives a noisy host).
#
# Usage: tools/peers/run_fill_mask_comparison.sh [ROUNDS] (default 3); environment:
#   PY=python with torch, transformers, onnx, onnxruntime (tools/fixtures/README.md; default /tmp/bbqenv/bin/python)
#   PEERS (default direct,pipeline,ort-export:dynamo,ort-export:torchscript-eager,ort-unmask,ort-unmask:g3)
#   ALSO_ORT_JAR=path/to/onnxruntime-X.jar: each round also runs Unmask with that ONNX Runtime jar in place of the
#     pom's (same graph, same code: isolates the runtime version; the Java API must be compatible)
#   PRECISION (fp32): Unmask's --precision (int8: add the int8 peers direct-int8,ort-export-int8 to PEERS)
#   WINDOWS (3), SECS (3, seconds per window), BATCHES (1,8,32), THREADS (2), OUT (folder for the raw results; a temp folder)
# Both sides: THREADS intra-op threads, spinning off, ORT_ENABLE_ALL; the same 40 sentences (Unmask writes them).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
rounds="${1:-3}"
py="${PY:-/tmp/bbqenv/bin/python}"
peers="${PEERS:-direct,pipeline,ort-export:dynamo,ort-export:torchscript-eager,ort-unmask,ort-unmask:g3}"
windows="${WINDOWS:-3}"
seconds="${SECS:-3}"
batches="${BATCHES:-1,8,32}"
threads="${THREADS:-2}"
precision="${PRECISION:-fp32}"
out="${OUT:-$(mktemp -d /tmp/fill-mask-comparison.XXXXXX)}"
mkdir -p "$out"
export UNMASK_THREADS="$threads" OMP_NUM_THREADS="$threads"
echo "results in $out; $rounds rounds; load at start: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$out/conditions.txt"
for r in $(seq 1 "$rounds"); do
  echo "== round $r: unmask ($(date -u +%H:%M:%S), load $(cut -d' ' -f1 /proc/loadavg))"
  extra=()
  [[ $r == 1 ]] && extra=(--sentences-out "$out/sentences.json")
  "$root/unmask" perf fill-mask --windows "$windows" --seconds "$seconds" --batches "$batches" \
    --precision "$precision" --max-others 1000 "${extra[@]}" | tee "$out/unmask-$r.txt"
  if [[ -n "${ALSO_ORT_JAR:-}" ]]; then
    echo "== round $r: unmask with $(basename "$ALSO_ORT_JAR") ($(date -u +%H:%M:%S))"
    app="$(readlink -f "$root/cli/target/app-current")"
    cp="$(tr ':' '\n' < "$app/classpath.txt" | sed "s#.*/onnxruntime-[0-9.]*\.jar#$ALSO_ORT_JAR#" | paste -sd:)"
    OMP_WAIT_POLICY=PASSIVE DJL_OFFLINE=true java -Xmx8g --enable-native-access=ALL-UNNAMED -Dai.djl.offline=true \
      -Dai.djl.pytorch.num_interop_threads=1 -cp "$cp" org.unmask.cli.Main perf fill-mask --windows "$windows" \
      --seconds "$seconds" --batches "$batches" --max-others 1000 | tee "$out/unmask-alt-$r.txt"
  fi
  echo "== round $r: peers ($(date -u +%H:%M:%S), load $(cut -d' ' -f1 /proc/loadavg))"
  "$py" "$root/tools/peers/fill_mask_peers.py" --sentences "$out/sentences.json" --peers "$peers" \
    --unmask-graph auto --windows "$windows" --seconds "$seconds" --batches "$batches" --threads "$threads" \
    --out "$out/peers-$r.json" 2>&1 | grep -E '^(direct|pipeline|ort-)' | tee "$out/peers-$r.txt"
done
echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/conditions.txt"
"$py" - "$out" "$rounds" <<'EOF'
import json, re, statistics, sys
from pathlib import Path

out, rounds = Path(sys.argv[1]), int(sys.argv[2])
line = re.compile(
    r"batch\s+(\d+):\s+([\d.]+) sentences/s.*?([\d.]+) GFLOP/s\s+([\d.]+) of peak.*?([\d.]+) CPU ms/sentence")
peak_re = re.compile(r"FP32 FMA peak.*?: ([\d.]+) GFLOP/s")
unmask, peers, peaks, versions = {}, {}, [], ""
for r in range(1, rounds + 1):
    text = (out / f"unmask-{r}.txt").read_text()
    m = peak_re.search(text)
    if m:
        peaks.append(float(m.group(1)))
    for b, rate, gf, of_peak, cpu in line.findall(text):
        unmask.setdefault(int(b), []).append((float(rate), float(of_peak), float(cpu), float(gf)))
    alt = out / f"unmask-alt-{r}.txt"
    if alt.exists():
        jar = re.search(r"on (onnxruntime [\d.]+)", alt.read_text())
        for b, rate, gf, of_peak, cpu in line.findall(alt.read_text()):
            peers.setdefault((f"unmask on Java {jar.group(1) if jar else 'alt jar'}", int(b)), []).append(
                (float(rate), float(cpu), float(gf)))
    data = json.loads((out / f"peers-{r}.json").read_text())
    versions = data["versions"]
    for row in data["rows"]:
        peers.setdefault((row["peer"], row["batch"]), []).append(
            (row["sentences_per_s"], row["cpu_ms_per_sentence"], row["gflops"]))
med = statistics.median
jar = re.search(r"on (onnxruntime [\d.]+)", (out / "unmask-1.txt").read_text())
print(f"\nunmask: {jar.group(1) if jar else '?'} (Java); peers: {versions}; FP32 peak per round: {', '.join(f'{p:.0f}' for p in peaks)} GFLOP/s")
print("| batch | side | sentences/s (median of rounds) | CPU ms/sentence | unmask / side, per-round ratios (sentences/s)"
      " | median | GFLOP/s ratio (median) | CPU-time ratio (median) |")
print("|---|---|---|---|---|---|---|---|")
for b in sorted(unmask):
    u = unmask[b]
    print(f"| {b} | **unmask** | {med(x[0] for x in u):.1f} ({med(x[1] for x in u):.2f} of peak) |"
          f" {med(x[2] for x in u):.1f} | | | | |")
    for (name, pb), rows in peers.items():
        if pb != b:
            continue
        n = min(len(u), len(rows))
        ratios = [u[i][0] / rows[i][0] for i in range(n)]
        # FLOP-normalised: a window that drew longer sentences is not counted as slower
        gf_ratio = med(u[i][3] / rows[i][2] for i in range(n))
        # peer CPU ms per sentence / unmask's: > 1 means unmask spends less CPU per sentence
        cpu_ratio = med(rows[i][1] / u[i][2] for i in range(n))
        print(f"| {b} | {name} | {med(x[0] for x in rows):.1f} | {med(x[1] for x in rows):.1f} |"
              f" {', '.join(f'{x:.2f}' for x in ratios)} | **{med(ratios):.2f}x** | {gf_ratio:.2f}x | {cpu_ratio:.2f}x |")
EOF
