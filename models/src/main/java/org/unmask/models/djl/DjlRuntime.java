package org.unmask.models.djl;

import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDManager;
import org.unmask.core.error.ModelException;

/**
 * Starts DJL's PyTorch engine (libtorch CPU from Maven, fully offline). DJL would otherwise try
 * to reach the network for natives and telemetry, so offline mode is forced before first use.
 */
public final class DjlRuntime {
    private static volatile Engine engine;

    private DjlRuntime() {}

    /** The PyTorch engine, started once. */
    public static Engine engine() throws ModelException {
        Engine e = engine;
        if (e != null) {
            return e;
        }
        synchronized (DjlRuntime.class) {
            if (engine == null) {
                setIfAbsent("ai.djl.offline", "true");
                setIfAbsent("OPT_OUT_TRACKING", "true");
                setIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
                try {
                    engine = Engine.getEngine("PyTorch");
                } catch (EngineException | IllegalArgumentException e2) {
                    throw new ModelException(
                            "could not start libtorch (DJL PyTorch engine): " + e2.getMessage(),
                            "libtorch is unpacked into ~/.djl.ai (or $DJL_CACHE_DIR); make that folder writable");
                }
            }
            return engine;
        }
    }

    /** A new root manager on the CPU. */
    public static NDManager newManager() throws ModelException {
        return engine().newBaseManager();
    }

    /** Engine name and version for provenance. */
    public static String describe() throws ModelException {
        Engine e = engine();
        return "djl-" + e.getEngineName().toLowerCase(java.util.Locale.ROOT) + " " + Engine.getDjlVersion()
                + " / libtorch " + e.getVersion() + " cpu";
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
