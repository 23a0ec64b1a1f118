/**
 * Decoder-only causal language models on libtorch (DJL), written functionally over Hugging Face
 * safetensors weights: GPT-2 ({@code GPT2LMHeadModel}), Llama and Mistral ({@code LlamaForCausalLM},
 * {@code MistralForCausalLM}: RoPE incl. linear and Llama-3.1 scaling, RMSNorm, grouped-query attention,
 * SwiGLU, tied or untied head), OLMo ({@code OlmoForCausalLM}: parameter-free LayerNorm, clip_qkv),
 * OLMo-2 ({@code Olmo2ForCausalLM}: q/k RMSNorm, norms after each sub-layer) and BLOOM
 * ({@code BloomForCausalLM}: ALiBi, fused query_key_value).
 *
 * <p>{@link org.unmask.models.djl.causal.DecoderLm} holds what every engine shares (requests, prompt encoding,
 * context-window rules, the seeded sampling loops); {@link org.unmask.models.djl.causal.CausalLm} is its libtorch
 * engine and {@code org.unmask.models.onnxgen.OrtCausalLm} its ONNX Runtime one, over the graph
 * {@code DecoderOnnxExport} generates (the default for inference; training stays here).
 *
 * <p>Contract: {@link org.unmask.models.djl.causal.CausalLm} scores batches right-padded to the longest
 * input (padding never changes a result: real tokens only attend to earlier positions), runs the LM
 * head only on the rows read, and generates with a KV cache (temperature, top-k, top-p, seeded).
 * Inputs longer than the context window are rejected, never truncated. Weights are held in float32
 * (F16/BF16 checkpoints are widened on load), so a model needs about 4 bytes per parameter of native
 * memory.
 *
 * <p>Verification: tested on tiny random checkpoints for internal consistency (KV cache vs full
 * recomputation, padding, GQA vs repeated heads, RoPE relativity) and GPT-2 against an independent
 * plain-Java forward. Parity with Hugging Face transformers is checked by {@code HfFixtureParityTest}
 * only once fixtures from {@code tools/fixtures/make_causal_fixtures.py} are committed.
 */
package org.unmask.models.djl.causal;
