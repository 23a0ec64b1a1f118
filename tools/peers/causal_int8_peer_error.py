#!/usr/bin/env python3
"""Error of the int8 causal peer against its own fp32, measured as ReducedPrecisionTest measures Unmask's int8.

The peer is `causal_peers.py --int8`: transformers with PyTorch's `quantize_dynamic` over every nn.Linear (GPT-2's
Conv1D rewritten as nn.Linear first). Inputs: the causal parity fixtures (models/src/test/resources/fixtures, every
folder whose reference.json is causal), each case's input_ids; per position the full vocabulary's log-probabilities.
Reported per fixture and over all: max |delta log p| over every position and vocabulary entry, and top-1 agreement —
the two numbers ReducedPrecisionTest bounds for Unmask (int8: <= 1.0, >= 0.90). Float16/bfloat16 fixtures are loaded
in float32 (as their fp32 reference is). Usage: causal_int8_peer_error.py [--fixtures DIR] [--threads 2]; needs the
venv of tools/fixtures/README.md; no network.
"""
import argparse
import json
from pathlib import Path

import torch
from torch import nn
from transformers import AutoModelForCausalLM

from causal_peers import conv1d_as_linear


def main():
    root = Path(__file__).resolve().parents[2]
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--fixtures", default=str(root / "models/src/test/resources/fixtures"))
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    worst_all, agree_all, n_all = 0.0, 0, 0
    for folder in sorted(Path(a.fixtures).iterdir()):
        ref_file = folder / "reference.json"
        if not ref_file.is_file():
            continue
        ref = json.loads(ref_file.read_text())
        if ref.get("kind", "causal") != "causal":
            continue
        fp32 = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32).eval()
        int8 = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32).eval()
        int8 = torch.ao.quantization.quantize_dynamic(conv1d_as_linear(int8), {nn.Linear}, dtype=torch.qint8)
        worst, agree, n = 0.0, 0, 0
        with torch.inference_mode():
            for case in ref["cases"]:
                ids = torch.tensor([case["input_ids"]])
                la = torch.log_softmax(fp32(ids).logits[0].double(), -1)
                lb = torch.log_softmax(int8(ids).logits[0].double(), -1)
                worst = max(worst, float((la - lb).abs().max()))
                agree += int((la.argmax(-1) == lb.argmax(-1)).sum())
                n += la.shape[0]
        print(f"  {folder.name:22s} max |delta log p| {worst:.3f}, top-1 agreement {agree / n:.4f} ({n} positions)")
        worst_all, agree_all, n_all = max(worst_all, worst), agree_all + agree, n_all + n
    print(f"torch quantize_dynamic int8 vs its fp32 on {n_all} fixture positions: max |delta log p| {worst_all:.3f}, "
          f"top-1 agreement {agree_all / n_all:.4f}")


if __name__ == "__main__":
    main()
