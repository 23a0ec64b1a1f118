#!/usr/bin/env python3
"""Fill-mask peers of `unmask perf fill-mask`, measured the way Unmask measures itself.

Same sentences (the list `unmask perf fill-mask --sentences-out FILE` writes), same batch cursor, padding per
batch to its longest sentence, one warm-up batch, WINDOWS windows of SECONDS s (median), top-5 at the mask, and
FLOPs credited exactly as FillMaskPerf credits them (encoder at the padded length + the MLM head on one row).

Peers (choose with --peers):
  direct     transformers eager: ids -> encoder -> MLM head on the mask rows only -> log_softmax -> top-5
  pipeline   transformers pipeline("fill-mask", top_k=5) on the sentence texts (what most users call)
  ort-export bert exported by torch.onnx (BertForMaskedLM: logits at every position) on ONNX Runtime (pip);
             log_softmax + top-5 at the mask rows in numpy. ort-export:EXPORTER picks the exporter:
             torchscript-eager (default), torchscript-sdpa, dynamo
  direct-int8
             direct on the model after torch.ao.quantization.quantize_dynamic(model, {nn.Linear}, qint8) (PyTorch's
             BERT dynamic-quantisation tutorial: int8 weights per tensor, activations quantised per batch)
  ort-export-int8
             ort-export after onnxruntime.quantization.quantize_dynamic (defaults: QInt8 weights per tensor, every
             MatMul; DynamicQuantizeLinear + MatMulInteger at run time); ort-export-int8:EXPORTER as above
  ort-unmask Unmask's own generated graph (--unmask-graph DIR/model.onnx, or auto) on ONNX Runtime (pip), weights
             fed from the safetensors in place (memory-mapped), to separate the graph from the runtime version;
             ort-unmask:gN runs the cached graph of version N (e.g. g3, the graph before the fused ops)

ONNX Runtime sessions: CPU EP, ORT_ENABLE_ALL, intra-op threads = --threads, spinning off (as Unmask's default).
The weights are the HF-layout checkpoint Unmask converts (default ~/.cache/unmask/models/bert-base-uncased): no
network. Needs torch, transformers, onnx, onnxruntime (tools/fixtures/README.md has the venv recipe).

Writes a JSON results file (--out) that `unmask perf fill-mask --peers FILE` and run_fill_mask_comparison.sh read.
"""
import argparse
import hashlib
import json
import os
import re
import statistics
import sys
import time
from pathlib import Path

import numpy as np

TEMPLATES = [
    "This %s works as a [MASK].",
    "The %s worked as a [MASK].",
    "The %s was hired as a [MASK] last year.",
    "My %s wanted to become a [MASK].",
    "Every %s here is a [MASK].",
]
GROUPS = ["man", "woman", "boy", "girl", "person", "father", "mother", "nurse"]


def flops_per_sentence(t, vocab, d=768, ff=3072, layers=12):
    """FillMaskPerf.flopsPerSentence: multiply-adds count 2; encoder at padded length t + MLM head on one row."""
    layer = 2.0 * t * (4 * d * d + 2 * d * ff) + 4.0 * t * t * d
    return layers * layer + 2 * (d * d + d * vocab)


def load_sentences(path, tokenizer):
    if path:
        data = json.loads(Path(path).read_text())
        return data["sentences"], data["mask_id"], tokenizer.pad_token_id, data["vocab"]
    # fallback: the same templates tokenised here (the driver always passes Unmask's own list)
    out = []
    for t in TEMPLATES:
        for g in GROUPS:
            text = (t % g).replace("[MASK]", tokenizer.mask_token)
            out.append({"text": text, "ids": tokenizer(text)["input_ids"]})
    return out, tokenizer.mask_token_id, tokenizer.pad_token_id, tokenizer.vocab_size


class Batches:
    """The batch cursor of FillMaskPerf: batch b takes sentences [c, c+b) modulo the list, padded to its longest."""

    def __init__(self, sentences, mask_id, pad_id):
        self.s = sentences
        self.mask_id = mask_id
        self.pad_id = pad_id

    def get(self, start, batch):
        rows = [self.s[(start + i) % len(self.s)] for i in range(batch)]
        t = max(len(r["ids"]) for r in rows)
        ids = np.full((batch, t), self.pad_id, dtype=np.int64)
        att = np.zeros((batch, t), dtype=np.int64)
        for i, r in enumerate(rows):
            ids[i, : len(r["ids"])] = r["ids"]
            att[i, : len(r["ids"])] = 1
        masks = np.array([r["ids"].index(self.mask_id) for r in rows], dtype=np.int64)
        return rows, ids, att, masks, t


def top5(log_probs_rows):
    idx = np.argpartition(-log_probs_rows, 5, axis=-1)[:, :5]
    return idx


def log_softmax_np(x):
    m = x.max(axis=-1, keepdims=True)
    z = x - m
    return z - np.log(np.exp(z).sum(axis=-1, keepdims=True))


def ort_session(path, threads, ext=None, save_optimized=None):
    import onnxruntime as ort

    so = ort.SessionOptions()
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    so.intra_op_num_threads = threads
    so.inter_op_num_threads = 1
    so.add_session_config_entry("session.intra_op.allow_spinning", "0")
    if save_optimized:
        Path(save_optimized).parent.mkdir(parents=True, exist_ok=True)
        so.optimized_model_filepath = str(save_optimized)
    if ext:
        so.add_external_initializers(ext[0], ext[1])
    return ort.InferenceSession(str(path), so, providers=["CPUExecutionProvider"])


def export_with_torch(model_dir, cache, exporter):
    """bert-base (BertForMaskedLM, logits at every position) exported by torch.onnx.

    exporter: "dynamo" (torch.onnx's default), "torchscript-eager" (legacy exporter, eager attention: the
    classic pattern ORT's optimiser fuses) or "torchscript-sdpa" (legacy exporter, transformers' default SDPA).
    """
    import torch
    from transformers import BertForMaskedLM

    key = hashlib.sha256(f"{Path(model_dir).resolve()}|{torch.__version__}|{exporter}|v2".encode()).hexdigest()[:16]
    out = Path(cache) / f"bert-export-{key}" / "model.onnx"
    if out.exists():
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    attn = "sdpa" if exporter in ("torchscript-sdpa", "dynamo") else "eager"
    model = BertForMaskedLM.from_pretrained(model_dir, attn_implementation=attn).eval()
    ids = torch.tensor([[101, 2023, 2158, 2573, 2004, 1037, 103, 1012, 102]])
    args = (ids, torch.ones_like(ids), torch.zeros_like(ids))
    dyn = {n: {0: "batch", 1: "seq"} for n in ["input_ids", "attention_mask", "token_type_ids", "logits"]}
    tmp = out.with_suffix(".tmp")
    names = dict(input_names=["input_ids", "attention_mask", "token_type_ids"], output_names=["logits"])
    with torch.no_grad():
        if exporter == "dynamo":
            b, s = torch.export.Dim("batch"), torch.export.Dim("seq")
            shapes = {"input_ids": {0: b, 1: s}, "attention_mask": {0: b, 1: s}, "token_type_ids": {0: b, 1: s}}
            prog = torch.onnx.export(
                model, args, dynamic_shapes=shapes, opset_version=18, dynamo=True, external_data=False, **names
            )
            prog.save(str(tmp))
        else:
            torch.onnx.export(
                model, args, str(tmp), dynamic_axes=dyn, opset_version=17, dynamo=False, **names
            )
    os.replace(tmp, out)
    return out


def quantize_export(path):
    """The export quantised by onnxruntime.quantization.quantize_dynamic with its defaults (cached beside it)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    out = Path(path).with_name("model.int8.onnx")
    if not out.exists():
        tmp = out.with_suffix(".tmp.onnx")
        quantize_dynamic(str(path), str(tmp), weight_type=QuantType.QInt8)
        os.replace(tmp, out)
    return out


def find_unmask_graph(model_dir, version=None):
    """The newest graph Unmask generated for this checkpoint (of graph `version` when given) in its cache
    ($UNMASK_CACHE or ~/.cache/unmask)."""
    import onnx

    cache = Path(os.environ.get("UNMASK_CACHE", Path.home() / ".cache/unmask")) / "onnx"
    config = json.loads((Path(model_dir) / "config.json").read_text())
    last = f"bert.encoder.layer.{config['num_hidden_layers'] - 1}.attention.self.query.weight"
    best = None
    for d in cache.glob("bert-g*-*"):
        m = re.match(r"bert-g(\d+)-", d.name)
        f = d / "model.onnx"
        if not m or not f.is_file() or (version is not None and int(m.group(1)) != version):
            continue
        g = onnx.load(str(f), load_external_data=False)
        dims = {t.name: list(t.dims) for t in g.graph.initializer}
        if last not in dims or dims.get("bert.embeddings.word_embeddings.weight") != [
            config["vocab_size"],
            config["hidden_size"],
        ]:
            continue
        key = (int(m.group(1)), f.stat().st_mtime)
        if best is None or key > best[0]:
            best = (key, f)
    if best is None:
        raise SystemExit(f"no Unmask graph for {model_dir} under {cache}: run `unmask perf fill-mask` first")
    return best[1]


def unmask_graph_feeds(ids, att, rows, wanted):
    """The inputs of Unmask's BERT graph (every graph version's subset: `wanted`) for a padded batch [b, t] of ids,
    its attention mask and the position of the one row per sentence whose log-probabilities are read."""
    b, t = ids.shape
    n = b * t
    feeds = {
        "input_ids": ids.reshape(n),
        "position_ids": np.tile(np.arange(t, dtype=np.int64), b),
        "token_type_ids": np.zeros(n, dtype=np.int64),
        "attention_bias": ((1 - att) * -1e9).astype(np.float32).reshape(b, 1, 1, t),
        "key_lengths": att.sum(axis=1).astype(np.int32),
        "qkv_shape": np.array([b, t, 12, 64], dtype=np.int64),
        "bsd_shape": np.array([b, t, 768], dtype=np.int64),
        "ctx_shape": np.array([n, 768], dtype=np.int64),
        "gather_rows": np.arange(b, dtype=np.int64) * t + rows,
    }
    return {k: v for k, v in feeds.items() if k in wanted}


def unmask_graph_initializers(graph, weights_hint):
    """Unmask's graph declares its weights as external data in a safetensors file; feed them memory-mapped."""
    import onnx
    import onnxruntime as ort

    m = onnx.load(str(graph), load_external_data=False)
    names, vals, keep = [], [], []
    maps = {}
    for t in m.graph.initializer:
        if t.data_location != onnx.TensorProto.EXTERNAL:
            continue
        kv = {e.key: e.value for e in t.external_data}
        loc = Path(graph).parent / kv["location"]
        if not loc.exists():
            loc = Path(weights_hint)
        f = str(loc.resolve())
        if f not in maps:
            maps[f] = np.memmap(f, dtype=np.uint8, mode="r")
        off, ln = int(kv["offset"]), int(kv["length"])
        arr = maps[f][off : off + ln].view(np.float32).reshape(tuple(t.dims))
        keep.append(arr)
        names.append(t.name)
        vals.append(ort.OrtValue.ortvalue_from_numpy(arr))
    return names, vals, keep


def make_runner(peer, args, batches, vocab):
    import torch

    torch.set_num_threads(args.threads)
    if peer in ("direct", "direct-int8"):
        from transformers import BertForMaskedLM

        model = BertForMaskedLM.from_pretrained(args.model).eval()
        if peer == "direct-int8":
            model = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)

        def run(start, b):
            _, ids, att, masks, t = batches.get(start, b)
            with torch.inference_mode():
                h = model.bert(
                    input_ids=torch.from_numpy(ids),
                    attention_mask=torch.from_numpy(att),
                    token_type_ids=torch.zeros_like(torch.from_numpy(ids)),
                ).last_hidden_state
                rows = h[torch.arange(b), torch.from_numpy(masks)]
                lp = torch.log_softmax(model.cls(rows), dim=-1)
                torch.topk(lp, 5, dim=-1)
            return t

        return run, {}
    if peer == "pipeline":
        from transformers import pipeline

        pipe = pipeline("fill-mask", model=args.model, tokenizer=args.model, top_k=5, device="cpu")

        def run(start, b):
            rows, _, _, _, t = batches.get(start, b)
            with torch.inference_mode():
                pipe([r["text"] for r in rows], batch_size=b)
            return t

        return run, {}
    if peer.startswith("ort-export"):
        exporter = peer.split(":", 1)[1] if ":" in peer else "torchscript-eager"
        path = export_with_torch(args.model, args.cache, exporter)
        if peer.startswith("ort-export-int8"):
            path = quantize_export(path)
        sess = ort_session(path, args.threads, save_optimized=opt_path(args, "ort-export"))

        def run(start, b):
            _, ids, att, masks, t = batches.get(start, b)
            (logits,) = sess.run(["logits"], {"input_ids": ids, "attention_mask": att, "token_type_ids": 0 * ids})
            top5(log_softmax_np(logits[np.arange(b), masks]))
            return t

        return run, {"graph": str(path), "exporter": exporter}
    if peer.startswith("ort-unmask"):
        # ort-unmask: --unmask-graph (a path, or auto = newest); ort-unmask:gN: the newest graph of version N
        graph = args.unmask_graph
        if ":g" in peer:
            graph = str(find_unmask_graph(args.model, int(peer.split(":g", 1)[1])))
        elif not graph:
            raise SystemExit("ort-unmask needs --unmask-graph PATH/model.onnx (or auto)")
        elif graph == "auto":
            graph = str(find_unmask_graph(args.model))
        names, vals, keep = unmask_graph_initializers(graph, Path(args.model) / "model.safetensors")
        sess = ort_session(graph, args.threads, (names, vals), opt_path(args, peer.replace(":", "-")))
        wanted = {i.name for i in sess.get_inputs()}

        def run(start, b, _keep=keep):
            _, ids, att, masks, t = batches.get(start, b)
            (lp,) = sess.run(["log_probs"], unmask_graph_feeds(ids, att, masks, wanted))
            top5(lp)
            return t

        return run, {"graph": graph}
    raise SystemExit(f"unknown peer {peer}")


def opt_path(args, peer):
    return Path(args.save_optimized) / f"{peer}.optimized.onnx" if args.save_optimized else None


def measure(run, n_sentences, batch, windows, seconds, vocab):
    run(0, batch)  # warm-up
    cursor = 0
    rates, gfs, ts, cpus = [], [], [], []
    for _ in range(windows):
        c0 = time.process_time()
        t0 = time.perf_counter()
        sentences, fl, tok = 0, 0.0, 0.0
        while time.perf_counter() - t0 < seconds:
            t = run(cursor, batch)
            cursor = (cursor + batch) % n_sentences
            sentences += batch
            fl += batch * flops_per_sentence(t, vocab)
            tok += batch * t
        sec = time.perf_counter() - t0
        cpus.append(1000.0 * (time.process_time() - c0) / sentences)
        rates.append(sentences / sec)
        gfs.append(fl / sec / 1e9)
        ts.append(tok / sentences)
    rate = statistics.median(rates)
    return {
        "batch": batch,
        "sentences_per_s": rate,
        "ms_per_batch": 1000.0 * batch / rate,
        "gflops": statistics.median(gfs),
        "padded_T": ts[-1],
        "cpu_ms_per_sentence": statistics.median(cpus),
        "windows": rates,
    }


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", default=str(Path.home() / ".cache/unmask/models/bert-base-uncased"))
    p.add_argument("--sentences", help="JSON from `unmask perf fill-mask --sentences-out`")
    p.add_argument("--peers", default="direct,pipeline,ort-export")
    p.add_argument("--unmask-graph", help="Unmask's generated model.onnx for the ort-unmask peer, or auto (newest)")
    p.add_argument("--batches", default="1,8,32")
    p.add_argument("--windows", type=int, default=5)
    p.add_argument("--seconds", type=float, default=3.0)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--cache", default="/tmp/unmask-peers")
    p.add_argument("--save-optimized", help="folder to write ORT's optimised graphs into (for op counts)")
    p.add_argument("--out", help="results JSON")
    args = p.parse_args()

    import onnxruntime
    import torch
    import transformers
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(args.model)
    sentences, mask_id, pad_id, vocab = load_sentences(args.sentences, tok)
    batches = Batches(sentences, mask_id, pad_id)
    result = {
        "versions": {
            "torch": torch.__version__,
            "transformers": transformers.__version__,
            "onnxruntime": onnxruntime.__version__,
            "python": sys.version.split()[0],
        },
        "threads": args.threads,
        "sentences": len(sentences),
        "rows": [],
    }
    for peer in args.peers.split(","):
        run, meta = make_runner(peer, args, batches, vocab)
        for b in [int(x) for x in args.batches.split(",")]:
            row = measure(run, len(sentences), b, args.windows, args.seconds, vocab)
            row.update({"peer": peer, **meta})
            result["rows"].append(row)
            print(
                f"{peer:11s} batch {b:2d}: {row['sentences_per_s']:7.1f} sentences/s {row['ms_per_batch']:8.1f} ms/batch"
                f" {row['gflops']:6.1f} GFLOP/s {row['cpu_ms_per_sentence']:6.1f} CPU ms/sentence"
                f" (padded T {row['padded_T']:.1f})",
                flush=True,
            )
        del run
    if args.out:
        Path(args.out).write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
