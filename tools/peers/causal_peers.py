#!/usr/bin/env python3
"""Peer side of `unmask perf causal`: the same workloads on transformers (PyTorch eager), plain and careful.

Reads the checkpoint Unmask benchmarks, so both sides run identical weights:

    ./unmask perf causal --checkpoint /tmp/gpt2-small-random ...   # writes it once, then benchmarks it
    python tools/peers/causal_peers.py --model /tmp/gpt2-small-random --threads 2

Workloads (as CausalPerf): next-token scoring of batch b x 12 random tokens; greedy decoding, batch 1,
prompt 12 + 64 new tokens with the KV cache; 16 samples of one prompt x 32 new tokens as one batch
(temperature 1, top-k 50, top-p 0.95). "plain" is what most users write (`model(ids).logits`,
`model.generate`); "careful" keeps only the last row's logits, prefills the prompt once and repeats its
cache for the samples, with a hand loop over the cache. Each point: a warm-up, then `--windows` windows of
`--seconds` seconds, median reported. Needs the venv of tools/fixtures/README.md; CI never runs it.

`--int8` runs the peers at the precision of `unmask perf causal --precision int8`, by the route PyTorch offers a
CPU user: `torch.ao.quantization.quantize_dynamic(model, {nn.Linear}, dtype=torch.qint8)` (int8 weights per
tensor, activations quantised per batch at run time, fbgemm). GPT-2's projections are `Conv1D`, which that call
skips, so they are first rewritten as the equivalent `nn.Linear` (weight transposed); the tied head is an
`nn.Linear` and is quantised too, the embedding stays float32. Labels get the prefix "int8 ".
"""
import argparse
import statistics
import time

import torch
from torch import nn
from transformers import AutoModelForCausalLM, DynamicCache
from transformers.pytorch_utils import Conv1D


def timed(work, seconds, windows):
    work()  # warm-up
    rates = []
    for _ in range(windows):
        n = 0
        t0 = time.perf_counter()
        while True:
            work()
            n += 1
            if time.perf_counter() - t0 >= seconds:
                break
        rates.append(n / (time.perf_counter() - t0))
    return statistics.median(rates)


def random_ids(gen, vocab, eos, batch, length):
    ids = torch.randint(0, vocab, (batch, length), generator=gen)
    return torch.where(ids == eos, (ids + 1) % vocab, ids)


def filter_top_k_top_p(logits, top_k, top_p):
    """HF's warper order: top-k, then top-p over what is left (logits already divided by the temperature)."""
    kth = torch.topk(logits, top_k, dim=-1).values[:, -1:]
    logits = logits.masked_fill(logits < kth, float("-inf"))
    sorted_logits, order = torch.sort(logits, descending=False, dim=-1)
    cum = sorted_logits.softmax(-1).cumsum(-1)
    remove_sorted = cum <= (1 - top_p)
    remove_sorted[:, -1:] = False
    remove = remove_sorted.scatter(1, order, remove_sorted)
    return logits.masked_fill(remove, float("-inf"))


def conv1d_as_linear(model):
    """GPT-2's Conv1D (y = x W + b, W [in, out]) as nn.Linear (W transposed), so dynamic quantisation reaches it."""
    for name, child in list(model.named_children()):
        if isinstance(child, Conv1D):
            lin = nn.Linear(child.weight.shape[0], child.weight.shape[1])
            lin.weight = nn.Parameter(child.weight.detach().t().contiguous())
            lin.bias = nn.Parameter(child.bias.detach().clone())
            setattr(model, name, lin)
        else:
            conv1d_as_linear(child)
    return model


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True, help="folder in HF layout (the one unmask perf causal wrote)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seconds", type=float, default=3)
    ap.add_argument("--windows", type=int, default=3)
    ap.add_argument("--batches", default="1,8,32")
    ap.add_argument("--prompt-tokens", type=int, default=12)
    ap.add_argument("--new-tokens", type=int, default=64)
    ap.add_argument("--samples", type=int, default=16)
    ap.add_argument("--only", default="plain,careful", help="which peers to run")
    ap.add_argument("--int8", action="store_true", help="dynamic int8 quantisation of every linear layer")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    model = AutoModelForCausalLM.from_pretrained(a.model, dtype=torch.float32).eval()
    if a.int8:
        model = torch.ao.quantization.quantize_dynamic(conv1d_as_linear(model), {nn.Linear}, dtype=torch.qint8)
    cfg = model.config
    vocab = cfg.vocab_size
    eos = cfg.eos_token_id if isinstance(cfg.eos_token_id, int) else -1
    gen = torch.Generator().manual_seed(1)
    t = a.prompt_tokens
    peers = [("int8 " if a.int8 else "") + p for p in a.only.split(",")]
    print(f"causal peers: {a.model} ({cfg.model_type}, {cfg.num_hidden_layers} layers, width {cfg.hidden_size}, "
          f"vocabulary {vocab}), torch {torch.__version__}, {a.threads} threads", flush=True)

    with torch.inference_mode():
        for b in [int(x) for x in a.batches.split(",")]:
            ids = random_ids(gen, vocab, eos, b, t)
            for peer in peers:
                if peer.endswith("plain"):
                    work = lambda: torch.log_softmax(model(ids).logits[:, -1, :], -1)
                else:
                    work = lambda: torch.log_softmax(model(ids, logits_to_keep=1).logits[:, -1, :], -1)
                rate = timed(work, a.seconds, a.windows)
                print(f"{peer}: next-token scoring, batch {b} x {t} tokens: {rate * b * t:.0f} input tokens/s",
                      flush=True)

        prompt = random_ids(gen, vocab, eos, 1, t)
        n_new = a.new_tokens
        for peer in peers:
            made = [0]
            if peer.endswith("plain"):
                def work():
                    out = model.generate(prompt, attention_mask=torch.ones_like(prompt), max_new_tokens=n_new,
                                         do_sample=False, pad_token_id=eos)
                    made[0] = out.shape[1] - t
            else:
                def work():
                    cache = DynamicCache()
                    logits = model(prompt, past_key_values=cache, use_cache=True, logits_to_keep=1).logits
                    n = 0
                    while n < n_new:
                        nxt = logits[:, -1, :].argmax(-1, keepdim=True)
                        n += 1
                        if nxt.item() == eos:
                            break
                        logits = model(nxt, past_key_values=cache, use_cache=True, logits_to_keep=1).logits
                    made[0] = n
            rate = timed(work, a.seconds, a.windows)
            print(f"{peer}: greedy generation, KV cache, batch 1, prompt {t} + {made[0]} new: "
                  f"{rate * made[0]:.1f} new tokens/s", flush=True)

        s = a.samples
        n_new = a.new_tokens // 2
        for peer in peers:
            made = [0]
            if peer.endswith("plain"):
                def work():
                    many = prompt.repeat(s, 1)
                    out = model.generate(many, attention_mask=torch.ones_like(many), max_new_tokens=n_new,
                                         do_sample=True, top_k=50, top_p=0.95, temperature=1.0, pad_token_id=eos)
                    made[0] = s * (out.shape[1] - t)
            else:
                def work():
                    cache = DynamicCache()
                    logits = model(prompt, past_key_values=cache, use_cache=True, logits_to_keep=1).logits
                    cache.batch_repeat_interleave(s)
                    logits = logits[:, -1, :].expand(s, -1)
                    for _ in range(n_new):
                        probs = filter_top_k_top_p(logits, 50, 0.95).softmax(-1)
                        nxt = torch.multinomial(probs, 1)
                        logits = model(nxt, past_key_values=cache, use_cache=True, logits_to_keep=1).logits[:, -1, :]
                    made[0] = s * n_new
            rate = timed(work, a.seconds, a.windows)
            print(f"{peer}: sampling {s} samples of one prompt as one batch (T 1, top-k 50, top-p 0.95): "
                  f"{rate * made[0]:.1f} new tokens/s", flush=True)


if __name__ == "__main__":
    main()
