/**
 * Reading and writing Hugging Face {@code .safetensors} checkpoints: validated headers, memory-mapped tensor access
 * (files may exceed 2 GiB), sharded checkpoints with an index, and a streaming atomic writer.
 */
package org.unmask.models.safetensors;
