package org.unmask.server;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.unmask.core.error.InvalidInputException;
import org.unmask.server.model.BatchingOptions;

/**
 * How the server listens and what it allows.
 *
 * @param bind address to listen on; loopback unless the user says otherwise
 * @param port TCP port, 0 for an ephemeral one
 * @param token bearer token required on {@code /api/} routes; mandatory when {@code bind} is not loopback
 * @param runsDir where job results are written and read
 * @param limits per-request limits
 * @param batching dynamic batching of model requests
 * @param httpThreads size of the bounded HTTP handler pool
 * @param jobWorkers jobs run at the same time
 * @param jobQueue jobs that may wait; more get 429
 */
public record ServerOptions(
        InetAddress bind,
        int port,
        Optional<String> token,
        Path runsDir,
        ServerLimits limits,
        BatchingOptions batching,
        int httpThreads,
        int jobWorkers,
        int jobQueue) {
    public ServerOptions {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(runsDir, "runsDir");
        token = token.filter(t -> !t.isBlank());
    }

    /** Loopback on an ephemeral port with the default limits (tests, embedding). */
    public static ServerOptions local(Path runsDir) {
        return new ServerOptions(
                InetAddress.getLoopbackAddress(),
                0,
                Optional.empty(),
                runsDir,
                ServerLimits.DEFAULT,
                BatchingOptions.DEFAULT,
                8,
                1,
                4);
    }

    public ServerOptions withBatching(BatchingOptions b) {
        return new ServerOptions(bind, port, token, runsDir, limits, b, httpThreads, jobWorkers, jobQueue);
    }

    public ServerOptions withLimits(ServerLimits l) {
        return new ServerOptions(bind, port, token, runsDir, l, batching, httpThreads, jobWorkers, jobQueue);
    }

    public ServerOptions withToken(String t) {
        return new ServerOptions(
                bind, port, Optional.ofNullable(t), runsDir, limits, batching, httpThreads, jobWorkers, jobQueue);
    }

    public ServerOptions withHttpThreads(int n) {
        return new ServerOptions(bind, port, token, runsDir, limits, batching, n, jobWorkers, jobQueue);
    }

    public ServerOptions withJobs(int workers, int queue) {
        return new ServerOptions(bind, port, token, runsDir, limits, batching, httpThreads, workers, queue);
    }

    /** Refuses settings that would expose the server unsafely. */
    public void check() throws InvalidInputException {
        if (port < 0 || port > 65535) {
            throw new InvalidInputException(
                    "--port " + port + " is not a TCP port", "use 1-65535, or 0 for any free port");
        }
        if (!bind.isLoopbackAddress() && token.isEmpty()) {
            throw new InvalidInputException(
                    "--bind " + bind.getHostAddress() + " is not a loopback address and no " + "--token was given",
                    "give --token <secret> so that only clients who know it can use the API");
        }
        if (httpThreads < 1 || jobWorkers < 1 || jobQueue < 0) {
            throw new InvalidInputException("thread and queue sizes must be positive", "");
        }
    }
}
