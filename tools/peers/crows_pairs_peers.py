#!/usr/bin/env python3
"""CrowS-Pairs peers of `unmask benchmark crows-pairs --variant pll-unmodified`: the same metric, written as careful
transformers code, timed so the full run can be compared with Unmask's (issue 16: "the full CrowS-Pairs run ≥ 2.5×
careful transformers code").

Metric (Nangia et al. 2020, metric.py): per pair, sent1 = sent_more for stereo pairs and sent_less for antistereo
pairs; both are tokenised with [CLS]/[SEP]; difflib.SequenceMatcher aligns the two id lists; the positions in its
`equal` blocks, less the first and last of that list ([CLS], [SEP]), are the unmodified tokens; each is masked on its
own and score(S) = Σ log P(original token | S with it masked). Scores are rounded to 3 decimals; the pair counts for
sent_more when its score is higher (a tie counts in N only). Metric score = 100 · wins / N.

Peers (choose with --peers):
  per-sentence  transformers eager: all masked copies of ONE sentence as one batch (equal lengths, no padding),
                encoder -> the masked row of each copy -> MLM head -> log_softmax -> the original token
  sorted        transformers eager: every masked copy of the run sorted by length, --batch per call (padded to the
                batch's longest, attention mask), MLM head on the masked rows only (the best-effort peer)
  ort           the same sorted batches on ONNX Runtime (pip): bert-base + MLM head on gathered rows + log_softmax,
                exported by torch.onnx (TorchScript exporter, eager attention: the export ORT's optimiser fuses best
                in fill_mask_peers.py); the same session settings as fill_mask_peers.py
  ort-unmask    not a peer: Unmask's own generated graph on ONNX Runtime (pip) over the same sorted batches, to tell
                Unmask's graph from its Java runtime and glue (as fill_mask_peers.py's ort-unmask)

Conventions of fill_mask_peers.py: --threads intra-op threads (torch.set_num_threads; ORT intra-op threads, spinning
off, ORT_ENABLE_ALL), the HF-layout checkpoint Unmask converts (default ~/.cache/unmask/models/bert-base-uncased), no
network. The data is the file Unmask ships (benchmarks/.../crows-pairs/crows_pairs_anonymized.csv), checked against
the sha256 in its benchmark.yaml as Unmask checks it.

Prints, per peer: the metric (overall, stereo/antistereo, per bias type), the forward rows (and how many are
distinct), wall and CPU seconds of the scoring (tokenising, aligning, the model, the metric; model loading is
reported apart), rows/s and pairs/s. --compare RESULT.json (an Unmask result file) counts pairs whose pll-unmodified
scores or outcome differ. --out writes all of it as JSON (run_crows_comparison.sh reads it).
"""
import argparse
import csv
import difflib
import hashlib
import json
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = ROOT / "benchmarks/src/main/resources/org/unmask/benchmarks/crows-pairs"
DATA_FILE = "crows_pairs_anonymized.csv"


def declared_sha256(data_dir):
    """The sha256 benchmark.yaml declares for the data file (the same check BenchmarkData makes)."""
    text = (Path(data_dir) / "benchmark.yaml").read_text()
    m = re.search(r"path:\s*" + re.escape(DATA_FILE) + r"\s*\n\s*sha256:\s*([0-9a-f]{64})", text)
    if not m:
        raise SystemExit(f"no sha256 for {DATA_FILE} in {data_dir}/benchmark.yaml")
    return m.group(1)


def read_pairs(data_dir, limit):
    raw = (Path(data_dir) / DATA_FILE).read_bytes()
    actual = hashlib.sha256(raw).hexdigest()
    expected = declared_sha256(data_dir)
    if actual != expected:
        raise SystemExit(f"checksum mismatch for {DATA_FILE}: benchmark.yaml expects {expected}, file has {actual}")
    rows = list(csv.DictReader(raw.decode("utf-8").splitlines(keepends=True)))
    if limit:
        rows = rows[:limit]
    pairs = []
    for r in rows:
        anti = r["stereo_antistereo"] == "antistereo"
        sent1, sent2 = (r["sent_less"], r["sent_more"]) if anti else (r["sent_more"], r["sent_less"])
        pairs.append({"index": int(r[""]), "bias_type": r["bias_type"], "anti": anti, "sent1": sent1, "sent2": sent2})
    return pairs, actual


def plan(pairs, tokenizer):
    """metric.py's alignment: the unmodified positions of each sentence, less the first and last of the template."""
    sentences = []  # (ids, positions)
    for p in pairs:
        a = tokenizer.encode(p["sent1"])
        b = tokenizer.encode(p["sent2"])
        t1, t2 = [], []
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, [str(x) for x in a], [str(x) for x in b]).get_opcodes():
            if tag == "equal":
                t1 += range(i1, i2)
                t2 += range(j1, j2)
        p["s1"] = len(sentences)
        sentences.append((a, t1[1:-1]))
        p["s2"] = len(sentences)
        sentences.append((b, t2[1:-1]))
    return sentences


def masked_rows(sentences, mask_id):
    """Every masked copy: (sentence, slot in its positions, masked ids, position, original token)."""
    out = []
    for s, (ids, positions) in enumerate(sentences):
        for k, pos in enumerate(positions):
            m = list(ids)
            m[pos] = mask_id
            out.append((s, k, m, pos, ids[pos]))
    return out


def torch_scorer(model):
    """Log P(original) of a padded batch: encoder, the masked row of each copy, MLM head, log_softmax."""
    import torch

    def score(ids, att, pos, targets):
        with torch.inference_mode():
            ids_t = torch.from_numpy(ids)
            h = model.bert(
                input_ids=ids_t, attention_mask=torch.from_numpy(att), token_type_ids=torch.zeros_like(ids_t)
            ).last_hidden_state
            rows = h[torch.arange(ids.shape[0]), torch.from_numpy(pos)]
            lp = torch.log_softmax(model.cls(rows), dim=-1)
            return lp[torch.arange(ids.shape[0]), torch.from_numpy(targets)].numpy()

    return score


def export_rows_model(model_dir, cache):
    """bert-base + MLM head on gathered rows + log_softmax, exported once by torch.onnx (TorchScript, eager attention)."""
    import torch
    from transformers import BertForMaskedLM

    key = hashlib.sha256(f"{Path(model_dir).resolve()}|{torch.__version__}|rows-logsoftmax|v1".encode()).hexdigest()[:16]
    out = Path(cache) / f"bert-rows-export-{key}" / "model.onnx"
    if out.exists():
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    mlm = BertForMaskedLM.from_pretrained(model_dir, attn_implementation="eager").eval()

    class Rows(torch.nn.Module):
        def __init__(self, m):
            super().__init__()
            self.m = m

        def forward(self, input_ids, attention_mask, token_type_ids, rows):
            h = self.m.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            h = h.reshape(-1, h.shape[-1]).index_select(0, rows)
            return torch.log_softmax(self.m.cls(h), dim=-1)

    ids = torch.tensor([[101, 2023, 2158, 2573, 2004, 1037, 103, 1012, 102], [101, 2023, 103, 2573, 2004, 1037, 2, 1012, 102]])
    args = (ids, torch.ones_like(ids), torch.zeros_like(ids), torch.tensor([6, 11]))
    dyn = {n: {0: "batch", 1: "seq"} for n in ["input_ids", "attention_mask", "token_type_ids"]}
    dyn["rows"] = {0: "rows"}
    dyn["log_probs"] = {0: "rows"}
    tmp = out.with_suffix(".tmp")
    with torch.no_grad():
        torch.onnx.export(
            Rows(mlm).eval(),
            args,
            str(tmp),
            input_names=["input_ids", "attention_mask", "token_type_ids", "rows"],
            output_names=["log_probs"],
            dynamic_axes=dyn,
            opset_version=17,
            dynamo=False,
        )
    tmp.replace(out)
    return out


def ort_scorer(path, threads):
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from fill_mask_peers import ort_session  # the same session settings as the fill-mask peers

    sess = ort_session(path, threads)

    def score(ids, att, pos, targets):
        b, t = ids.shape
        (lp,) = sess.run(
            ["log_probs"],
            {
                "input_ids": ids,
                "attention_mask": att,
                "token_type_ids": np.zeros_like(ids),
                "rows": np.arange(b, dtype=np.int64) * t + pos,
            },
        )
        return lp[np.arange(b), targets]

    return score


def ort_unmask_scorer(model_dir, threads, graph):
    """Unmask's own generated graph on ONNX Runtime (pip), fed as fill_mask_peers.py's ort-unmask peer feeds it:
    separates Unmask's graph from its Java runtime and glue."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from fill_mask_peers import find_unmask_graph, ort_session, unmask_graph_feeds, unmask_graph_initializers

    graph = str(find_unmask_graph(model_dir)) if graph == "auto" else graph
    names, vals, keep = unmask_graph_initializers(graph, Path(model_dir) / "model.safetensors")
    sess = ort_session(graph, threads, (names, vals))
    wanted = {i.name for i in sess.get_inputs()}

    def score(ids, att, pos, targets, _keep=keep):
        (lp,) = sess.run(["log_probs"], unmask_graph_feeds(ids, att, pos, wanted))
        return lp[np.arange(ids.shape[0]), targets]

    score.graph = graph
    return score


def pad(batch, pad_id):
    t = max(len(r[2]) for r in batch)
    ids = np.full((len(batch), t), pad_id, dtype=np.int64)
    att = np.zeros((len(batch), t), dtype=np.int64)
    for i, r in enumerate(batch):
        ids[i, : len(r[2])] = r[2]
        att[i, : len(r[2])] = 1
    pos = np.array([r[3] for r in batch], dtype=np.int64)
    targets = np.array([r[4] for r in batch], dtype=np.int64)
    return ids, att, pos, targets


def run_per_sentence(sentences, rows, score, pad_id, batch):
    """One call per sentence: all its masked copies together (they have one length, so nothing is padded)."""
    by_sentence = defaultdict(list)
    for r in rows:
        by_sentence[r[0]].append(r)
    lp = {}
    calls = 0
    for s in range(len(sentences)):
        group = by_sentence.get(s, [])
        if not group:
            continue
        vals = score(*pad(group, pad_id))
        calls += 1
        for r, v in zip(group, vals):
            lp[(r[0], r[1])] = float(v)
    return lp, calls


def run_sorted(sentences, rows, score, pad_id, batch):
    """Every masked copy of the run sorted by length (stable), `batch` per call."""
    order = sorted(rows, key=lambda r: len(r[2]))
    lp = {}
    calls = 0
    for i in range(0, len(order), batch):
        chunk = order[i : i + batch]
        vals = score(*pad(chunk, pad_id))
        calls += 1
        for r, v in zip(chunk, vals):
            lp[(r[0], r[1])] = float(v)
    return lp, calls


def metric(pairs, sentences, lp):
    """metric.py's scores (sum in template order, rounded to 3 decimals) and the metric per group."""
    totals = []
    for s, (_, positions) in enumerate(sentences):
        acc = 0.0
        for k in range(len(positions)):
            acc += lp[(s, k)]
        totals.append(acc)
    groups = defaultdict(lambda: [0, 0])  # group -> [wins, n]
    stereo = [0, 0, 0]  # wins, n, ties
    anti = [0, 0, 0]
    per_pair = []
    for p in pairs:
        s1, s2 = round(totals[p["s1"]], 3), round(totals[p["s2"]], 3)
        more, less = (s2, s1) if p["anti"] else (s1, s2)
        win = more > less
        tie = more == less
        for g in ("overall", p["bias_type"]):
            groups[g][0] += win
            groups[g][1] += 1
        side = anti if p["anti"] else stereo
        side[0] += win
        side[1] += 1
        side[2] += tie
        per_pair.append({"index": p["index"], "sent_more_score": more, "sent_less_score": less,
                         "outcome": "tie" if tie else "sent_more" if win else "sent_less"})
    scores = {g: round(100.0 * w / n, 2) for g, (w, n) in groups.items()}
    scores["stereotype_score"] = round(100.0 * stereo[0] / max(1, stereo[1] - stereo[2]), 2)
    scores["antistereotype_score"] = round(100.0 * anti[0] / max(1, anti[1] - anti[2]), 2)
    scores["ties"] = stereo[2] + anti[2]
    return scores, per_pair


def compare(per_pair, path):
    """Pairs whose pll-unmodified scores or outcome differ from an Unmask result file's items."""
    data = json.loads(Path(path).read_text())
    theirs = {it["index"]: it.get("crows-pairs/pll-unmodified") for it in data.get("items", [])}
    diff_scores, diff_outcome, missing, max_delta = 0, 0, 0, 0.0
    for p in per_pair:
        u = theirs.get(p["index"])
        if u is None:
            missing += 1
            continue
        d = max(abs(u["sent_more_score"] - p["sent_more_score"]), abs(u["sent_less_score"] - p["sent_less_score"]))
        max_delta = max(max_delta, d)
        diff_scores += d > 0
        diff_outcome += u["outcome"] != p["outcome"]
    return {"file": str(path), "pairs_with_other_scores": diff_scores, "pairs_with_other_outcome": diff_outcome,
            "max_abs_score_delta": round(max_delta, 3), "pairs_missing": missing}


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", default=str(Path.home() / ".cache/unmask/models/bert-base-uncased"))
    p.add_argument("--data", default=str(DATA_DIR), help="folder with benchmark.yaml and " + DATA_FILE)
    p.add_argument("--peers", default="per-sentence,sorted")
    p.add_argument("--limit", type=int, default=0, help="only the first N pairs (0 = all 1,508)")
    p.add_argument("--batch", type=int, default=32, help="masked copies per call for sorted/ort (Unmask's default)")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--cache", default="/tmp/unmask-peers", help="where the ONNX export is kept")
    p.add_argument("--unmask-graph", default="auto", help="ort-unmask: Unmask's model.onnx, or auto (the newest)")
    p.add_argument("--compare", help="an Unmask result JSON: count pairs whose pll-unmodified scores differ")
    p.add_argument("--out", help="results JSON")
    args = p.parse_args()

    c_start, w_start = time.process_time(), time.perf_counter()
    import onnxruntime
    import torch
    import transformers
    from transformers import AutoTokenizer, BertForMaskedLM

    torch.set_num_threads(args.threads)
    pairs, sha = read_pairs(args.data, args.limit)
    result = {
        "versions": {"torch": torch.__version__, "transformers": transformers.__version__,
                     "onnxruntime": onnxruntime.__version__, "python": sys.version.split()[0]},
        "threads": args.threads, "batch": args.batch, "pairs": len(pairs), "data_sha256": sha, "peers": [],
    }
    print(f"CrowS-Pairs {DATA_FILE} sha256 {sha} (as benchmark.yaml declares); {len(pairs)} pairs; "
          f"{args.threads} threads; torch {torch.__version__}, transformers {transformers.__version__}, "
          f"onnxruntime {onnxruntime.__version__}", flush=True)
    for peer in args.peers.split(","):
        lw, lc = time.perf_counter(), time.process_time()
        if peer in ("per-sentence", "sorted"):
            model = BertForMaskedLM.from_pretrained(args.model).eval()
            score = torch_scorer(model)
        elif peer == "ort":
            score = ort_scorer(export_rows_model(args.model, args.cache), args.threads)
        elif peer == "ort-unmask":
            score = ort_unmask_scorer(args.model, args.threads, args.unmask_graph)
        else:
            raise SystemExit(f"unknown peer {peer}: use per-sentence, sorted, ort or ort-unmask")
        tokenizer = AutoTokenizer.from_pretrained(args.model)
        load_wall, load_cpu = time.perf_counter() - lw, time.process_time() - lc
        w0, c0 = time.perf_counter(), time.process_time()
        sentences = plan(pairs, tokenizer)
        rows = masked_rows(sentences, tokenizer.mask_token_id)
        runner = run_per_sentence if peer == "per-sentence" else run_sorted
        lp, calls = runner(sentences, rows, score, tokenizer.pad_token_id, args.batch)
        scores, per_pair = metric(pairs, sentences, lp)
        wall, cpu = time.perf_counter() - w0, time.process_time() - c0
        row = {
            "peer": peer, "metric": scores, "rows": len(rows), "distinct_rows": len({tuple(r[2]) for r in rows}),
            "calls": calls, "wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "load_wall_s": round(load_wall, 2),
            "load_cpu_s": round(load_cpu, 2), "rows_per_s": round(len(rows) / wall, 2),
            "pairs_per_s": round(len(pairs) / wall, 3),
        }
        if args.compare:
            row["compare"] = compare(per_pair, args.compare)
        result["peers"].append(row)
        per_type = ", ".join(f"{g} {v:.2f}" for g, v in sorted(scores.items())
                             if g not in ("overall", "stereotype_score", "antistereotype_score", "ties"))
        print(f"{peer}: metric {scores['overall']:.2f} (stereo {scores['stereotype_score']:.2f}, antistereo "
              f"{scores['antistereotype_score']:.2f}, ties {scores['ties']}; {per_type})", flush=True)
        print(f"{peer}: {len(rows)} forward rows ({row['distinct_rows']} distinct) in {calls} calls; "
              f"wall {wall:.1f} s, CPU {cpu:.1f} s; {row['rows_per_s']:.1f} rows/s, {row['pairs_per_s']:.2f} pairs/s "
              f"(model load {load_wall:.1f} s wall, {load_cpu:.1f} s CPU, not counted)", flush=True)
        if args.compare:
            print(f"{peer}: vs {args.compare}: {row['compare']}", flush=True)
        del score
    result["process_wall_s"] = round(time.perf_counter() - w_start, 2)
    result["process_cpu_s"] = round(time.process_time() - c_start, 2)
    if args.out:
        Path(args.out).write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
