package org.unmask.models.onnxgen;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.file.Path;
import org.unmask.core.error.ModelException;
import org.unmask.models.onnx.OrtRuntime;

/**
 * Opens ONNX Runtime sessions over generated graphs (BERT, decoders) with the weights supplied as memory maps and the
 * CPU settings every generated graph runs under, so the engines cannot drift apart in how they are configured.
 */
final class GraphSessions {
    private GraphSessions() {}

    /** A session over {@code model} reading {@code weights}, which must outlive it. */
    static OrtSession open(Path model, MappedWeights weights) throws OrtException, ModelException {
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            opts.addExternalInitializers(weights.tensors());
            // spinning threads collapse when another process shares the 2 cores; opt in for quiet benchmarks
            boolean spin = "1".equals(System.getenv("UNMASK_ORT_SPINNING"));
            opts.addConfigEntry("session.intra_op.allow_spinning", spin ? "1" : "0");
            // ONNX Runtime's own default is the number of PHYSICAL cores: on a VM whose vCPUs are SMT siblings
            // (2 vCPUs = 1 core x 2 threads) that is half the CPUs this process may use
            String threads = System.getenv("UNMASK_THREADS");
            opts.setIntraOpNumThreads(
                    threads != null
                            ? Integer.parseInt(threads)
                            : Runtime.getRuntime().availableProcessors());
            return OrtRuntime.createSession(model.toString(), opts);
        }
    }
}
