/** ONNX Runtime backends: a sentence encoder over ONNX exports (all-MiniLM-L6-v2 from Maven Central). */
package org.unmask.models.onnx;
