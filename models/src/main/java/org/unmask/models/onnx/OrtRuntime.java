package org.unmask.models.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.unmask.core.error.ModelException;

/**
 * The one way into ONNX Runtime's native side: the process-wide environment and new sessions are made on a thread
 * with a large stack ({@link LargeStack}), whichever thread asks (a CLI main thread, a server handler, a test).
 */
public final class OrtRuntime {
    private static volatile OrtEnvironment env;

    private OrtRuntime() {}

    /** The shared environment, created on first use. */
    public static OrtEnvironment environment() throws ModelException {
        OrtEnvironment e = env;
        if (e != null) {
            return e;
        }
        synchronized (OrtRuntime.class) {
            if (env == null) {
                env = onLargeStack("ort-environment", OrtEnvironment::getEnvironment);
            }
            return env;
        }
    }

    /** A session over {@code model}; ONNX Runtime's own failures come back as {@link OrtException}. */
    public static OrtSession createSession(String model, OrtSession.SessionOptions opts)
            throws OrtException, ModelException {
        OrtEnvironment e = environment();
        try {
            return LargeStack.call("ort-session", () -> e.createSession(model, opts));
        } catch (OrtException | ModelException | RuntimeException ex) {
            throw ex;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new ModelException("interrupted while ONNX Runtime loaded " + model, "run the command again");
        } catch (Exception ex) {
            throw new IllegalStateException("unexpected failure creating an ONNX Runtime session", ex);
        }
    }

    private static OrtEnvironment onLargeStack(String name, java.util.concurrent.Callable<OrtEnvironment> body)
            throws ModelException {
        try {
            return LargeStack.call(name, body);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new ModelException("interrupted while ONNX Runtime started", "run the command again");
        } catch (RuntimeException ex) {
            throw new ModelException(
                    "ONNX Runtime could not start: " + ex.getMessage(), "use --backend torch, or check the install");
        } catch (Exception ex) {
            throw new IllegalStateException("unexpected failure starting ONNX Runtime", ex);
        }
    }
}
