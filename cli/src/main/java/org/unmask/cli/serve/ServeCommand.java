package org.unmask.cli.serve;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.unmask.cli.options.BackendOption;
import org.unmask.cli.options.BatchSizeOption;
import org.unmask.cli.options.ModelOption;
import org.unmask.cli.options.Range;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.error.UnmaskException;
import org.unmask.core.model.LanguageModel;
import org.unmask.models.ModelLoader;
import org.unmask.server.ServerLimits;
import org.unmask.server.ServerOptions;
import org.unmask.server.UnmaskServer;
import org.unmask.server.jobs.AuditJob;
import org.unmask.server.model.BatchingOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code unmask serve}: the explorer page and JSON API for one masked language model. */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Serve the explorer page and the JSON API (fill-mask, explore, audit jobs) for one model.",
            "Listens on 127.0.0.1 unless --bind says otherwise; a non-loopback bind requires --token."
        })
public final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
            names = "--port",
            defaultValue = "8080",
            description = "TCP port, 0 for any free one (default ${DEFAULT-VALUE}).")
    @Range(min = 0, max = 65535)
    int port;

    @Mixin
    ModelOption model = new ModelOption();

    @Mixin
    BackendOption backend = new BackendOption();

    @Option(
            names = "--bind",
            defaultValue = "127.0.0.1",
            description = "Address to listen on (default ${DEFAULT-VALUE}).")
    String bind;

    @Option(
            names = "--token",
            paramLabel = "SECRET",
            description = "Bearer token required on /api/ (required with a non-loopback --bind); "
                    + "also read from UNMASK_SERVER_TOKEN.")
    String token;

    @Option(
            names = "--runs-dir",
            defaultValue = "runs",
            description = "Folder for job results (default ${DEFAULT-VALUE}).")
    Path runsDir;

    @Option(names = "--no-batching", description = "Run requests one at a time instead of batching concurrent ones.")
    boolean noBatching;

    @Option(
            names = "--batch-wait-ms",
            defaultValue = "5",
            description = "How long the model thread waits to fill a batch (default ${DEFAULT-VALUE}).")
    @Range(min = 0, max = 60_000)
    int batchWaitMs;

    @Option(
            names = "--max-batch",
            defaultValue = "64",
            description = "Most requests per model call (default ${DEFAULT-VALUE}).")
    @Range(min = 1, max = BatchSizeOption.MAX)
    int maxBatch;

    @Option(names = "--threads", defaultValue = "16", description = "HTTP handler threads (default ${DEFAULT-VALUE}).")
    @Range(min = 1, max = 1024)
    int threads;

    @Option(
            names = "--max-forward-passes",
            defaultValue = "256",
            paramLabel = "N",
            description = "Most model forward passes one request may cause (default ${DEFAULT-VALUE}); more is 422.")
    @Range(min = 1, max = 1_000_000)
    int maxForwardPasses;

    @Option(
            names = "--request-timeout-ms",
            defaultValue = "60000",
            paramLabel = "MS",
            description = "How long a request may wait for the model; then 503 and its work is dropped "
                    + "(default ${DEFAULT-VALUE}).")
    @Range(min = 1, max = 3_600_000)
    long requestTimeoutMs;

    @Option(
            names = "--header-timeout-ms",
            defaultValue = "5000",
            paramLabel = "MS",
            description = "Time a client has to send the request headers (default ${DEFAULT-VALUE}); then 408.")
    @Range(min = 1, max = 600_000)
    int headerTimeoutMs;

    @Option(
            names = "--body-timeout-ms",
            defaultValue = "10000",
            paramLabel = "MS",
            description = "Time a client has to send the request body (default ${DEFAULT-VALUE}); then 408.")
    @Range(min = 1, max = 600_000)
    int bodyTimeoutMs;

    @Option(
            names = "--max-connections",
            defaultValue = "512",
            paramLabel = "N",
            description = "Most open connections in all (default ${DEFAULT-VALUE}); more get 503.")
    @Range(min = 1, max = 100_000)
    int maxConnections;

    @Option(
            names = "--max-connections-per-client",
            defaultValue = "64",
            paramLabel = "N",
            description = "Most open connections from one client address (default ${DEFAULT-VALUE}); more get 429.")
    @Range(min = 1, max = 100_000)
    int maxConnectionsPerClient;

    @Override
    public Integer call() throws UnmaskException, InterruptedException {
        ServerOptions options = options();
        options.check();
        PrintWriter out = spec.commandLine().getOut();
        LanguageModel lm = ModelLoader.load(model.ref(), backend.engine());
        UnmaskServer server;
        try {
            server = UnmaskServer.start(lm, List.of(AuditJob.defaultSuite(), AuditJob.occupations()), options);
        } catch (IOException e) {
            lm.close();
            throw new InvalidInputException(
                    "cannot listen on " + bind + ":" + port + ": " + e.getMessage(),
                    "choose another --port, or stop the program using it");
        } catch (UnmaskException | RuntimeException e) {
            lm.close();
            throw e;
        }
        String host = options.bind().isLoopbackAddress()
                ? "127.0.0.1"
                : options.bind().getHostAddress();
        out.println("unmask: serving " + lm.info().id() + " on http://" + host + ":" + server.port() + "/"
                + (noBatching ? " (batching off)" : "") + " - Ctrl-C to stop");
        out.flush();
        awaitShutdown(server, lm);
        return 0;
    }

    /** Blocks until Ctrl-C; the shutdown hook closes the server, then the model, before the JVM exits. */
    private static void awaitShutdown(UnmaskServer server, LanguageModel lm) throws InterruptedException {
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            server.close();
                            lm.close();
                            stop.countDown();
                        },
                        "unmask-serve-stop"));
        stop.await();
    }

    private ServerOptions options() throws InvalidInputException {
        InetAddress address;
        try {
            address = InetAddress.getByName(bind);
        } catch (UnknownHostException e) {
            throw new InvalidInputException("--bind " + bind + " is not an address of this machine", "use 127.0.0.1");
        }
        ServerLimits limits = ServerLimits.DEFAULT
                .withMaxForwardPasses(maxForwardPasses)
                .withRequestTimeoutMillis(requestTimeoutMs)
                .withReadTimeouts(headerTimeoutMs, bodyTimeoutMs)
                .withConnections(maxConnections, maxConnectionsPerClient);
        String t = token != null ? token : System.getenv("UNMASK_SERVER_TOKEN");
        BatchingOptions batching = new BatchingOptions(!noBatching, batchWaitMs, maxBatch, 256);
        return new ServerOptions(address, port, Optional.ofNullable(t), runsDir, limits, batching, threads, 1, 4);
    }
}
