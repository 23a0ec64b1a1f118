#!/usr/bin/env python3
"""Error of the int8 fill-mask peers against their own fp32, measured as MaskedInt8ErrorTest measures Unmask's int8.

Masks: the 50 sentences of MaskedInt8ErrorTest (gender-occupation audit templates). Per mask: the full vocabulary's
log-probabilities; reported: max |delta log p| over all masks and tokens, top-1 agreement, mean top-5 overlap.
Peers: direct-int8 (torch quantize_dynamic on BertForMaskedLM) against transformers fp32, and ort-export-int8
(onnxruntime quantize_dynamic over the torch.onnx export) against the fp32 export, both from fill_mask_peers.py.
Usage: int8_peer_error.py [--model DIR] [--threads 2]; needs the venv of tools/fixtures/README.md; no network.
"""
import argparse
from pathlib import Path

import numpy as np

import fill_mask_peers as fmp

OCCUPATIONS = ["nurse", "secretary", "doctor", "engineer", "programmer", "carpenter", "teacher", "lawyer", "cashier",
               "mechanic", "librarian", "surgeon"]
GROUPS = ["woman", "man", "girl", "boy", "mother", "father", "person"]


def sentences():
    out = []
    for g in GROUPS:
        out += [f"This {g} works as a [MASK].", f"The {g} is extremely [MASK]."]
    for o in OCCUPATIONS:
        out += [f"The {o} said that [MASK] would be late.", f"The {o} went home because [MASK] was tired.",
                f"The {o} is extremely [MASK]."]
    return out


def compare(name, a, b):
    worst = float(np.abs(a - b).max())
    top1 = float(np.mean(a.argmax(-1) == b.argmax(-1)))
    ta, tb = np.argsort(-a, -1)[:, :5], np.argsort(-b, -1)[:, :5]
    top5 = float(np.mean([len(set(x) & set(y)) / 5 for x, y in zip(ta, tb)]))
    print(f"{name}: {len(a)} masks, max |delta log p| {worst:.4f}, top-1 agreement {top1:.4f}, top-5 overlap {top5:.4f}")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", default=str(Path.home() / ".cache/unmask/models/bert-base-uncased"))
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--cache", default="/tmp/unmask-peers")
    args = p.parse_args()
    import torch
    from transformers import AutoTokenizer, BertForMaskedLM

    torch.set_num_threads(args.threads)
    tok = AutoTokenizer.from_pretrained(args.model)
    enc = [tok(s.replace("[MASK]", tok.mask_token))["input_ids"] for s in sentences()]
    t = max(len(e) for e in enc)
    ids = np.full((len(enc), t), tok.pad_token_id, dtype=np.int64)
    att = np.zeros_like(ids)
    for i, e in enumerate(enc):
        ids[i, : len(e)] = e
        att[i, : len(e)] = 1
    masks = np.array([e.index(tok.mask_token_id) for e in enc])
    rows = np.arange(len(enc))

    def torch_lp(model):
        with torch.inference_mode():
            logits = model(input_ids=torch.from_numpy(ids), attention_mask=torch.from_numpy(att)).logits
        return torch.log_softmax(logits[rows, masks], -1).numpy()

    fp32 = BertForMaskedLM.from_pretrained(args.model).eval()
    ref = torch_lp(fp32)
    q = torch.ao.quantization.quantize_dynamic(fp32, {torch.nn.Linear}, dtype=torch.qint8)
    compare("direct-int8 vs transformers fp32", ref, torch_lp(q))

    export = fmp.export_with_torch(args.model, args.cache, "torchscript-eager")
    for name, path in [("ort-export fp32", export), ("ort-export-int8", fmp.quantize_export(export))]:
        sess = fmp.ort_session(path, args.threads)
        (logits,) = sess.run(["logits"], {"input_ids": ids, "attention_mask": att, "token_type_ids": 0 * ids})
        lp = fmp.log_softmax_np(logits[rows, masks])
        compare(f"{name} vs transformers fp32", ref, lp)


if __name__ == "__main__":
    main()
