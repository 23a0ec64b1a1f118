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
import org.unmask.cli.BackendOption;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.error.UnmaskException;
import org.unmask.core.model.LanguageModel;
import org.unmask.models.ModelLoader;
import org.unmask.server.ServerLimits;
import org.unmask.server.ServerOptions;
import org.unmask.server.UnmaskServer;
import org.unmask.server.jobs.AuditJob;
import org.unmask.server.jobs.OccupationAssociationJob;
import org.unmask.server.model.BatchingOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code unmask serve}: the explorer page and JSON API for one masked language model. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve the explorer page and the JSON API (fill-mask, explore, audit jobs) for one model.",
            "Listens on 127.0.0.1 unless --bind says otherwise; a non-loopback bind requires --token."})
public final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--port", defaultValue = "8080",
            description = "TCP port, 0 for any free one (default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = {"-m", "--model"}, paramLabel = "REF",
            description = "Model folder or hub id (default: embedded bert-base-uncased).")
    String model;

    @Option(names = "--backend", defaultValue = "onnx", paramLabel = "ENGINE",
            description = "onnx (ONNX Runtime, fastest) or torch (libtorch via DJL). Default ${DEFAULT-VALUE}.")
    String backend;

    @Option(names = "--bind", defaultValue = "127.0.0.1",
            description = "Address to listen on (default ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--token", paramLabel = "SECRET",
            description = "Bearer token required on /api/ (required with a non-loopback --bind); "
                    + "also read from UNMASK_SERVER_TOKEN.")
    String token;

    @Option(names = "--runs-dir", defaultValue = "runs",
            description = "Folder for job results (default ${DEFAULT-VALUE}).")
    Path runsDir;

    @Option(names = "--no-batching", description = "Run requests one at a time instead of batching concurrent ones.")
    boolean noBatching;

    @Option(names = "--batch-wait-ms", defaultValue = "5",
            description = "How long the model thread waits to fill a batch (default ${DEFAULT-VALUE}).")
    int batchWaitMs;

    @Option(names = "--max-batch", defaultValue = "64",
            description = "Most requests per model call (default ${DEFAULT-VALUE}).")
    int maxBatch;

    @Option(names = "--threads", defaultValue = "16", description = "HTTP handler threads (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--max-forward-passes", defaultValue = "256", paramLabel = "N",
            description = "Most model forward passes one request may cause (default ${DEFAULT-VALUE}); more is 422.")
    int maxForwardPasses;

    @Option(names = "--request-timeout-ms", defaultValue = "60000", paramLabel = "MS",
            description = "How long a request may wait for the model; then 503 and its work is dropped "
                    + "(default ${DEFAULT-VALUE}).")
    long requestTimeoutMs;

    @Option(names = "--header-timeout-ms", defaultValue = "5000", paramLabel = "MS",
            description = "Time a client has to send the request headers (default ${DEFAULT-VALUE}); then 408.")
    int headerTimeoutMs;

    @Option(names = "--body-timeout-ms", defaultValue = "10000", paramLabel = "MS",
            description = "Time a client has to send the request body (default ${DEFAULT-VALUE}); then 408.")
    int bodyTimeoutMs;

    @Option(names = "--max-connections", defaultValue = "512", paramLabel = "N",
            description = "Most open connections in all (default ${DEFAULT-VALUE}); more get 503.")
    int maxConnections;

    @Option(names = "--max-connections-per-client", defaultValue = "64", paramLabel = "N",
            description = "Most open connections from one client address (default ${DEFAULT-VALUE}); more get 429.")
    int maxConnectionsPerClient;

    @Override
    public Integer call() throws UnmaskException, InterruptedException {
        ServerOptions options = options();
        options.check();
        PrintWriter out = spec.commandLine().getOut();
        LanguageModel lm = ModelLoader.load(model, BackendOption.parse(backend));
        UnmaskServer server;
        try {
            server = UnmaskServer.start(lm, List.of(AuditJob.defaultSuite(), new OccupationAssociationJob()), options);
        } catch (IOException e) {
            lm.close();
            throw new InvalidInputException("cannot listen on " + bind + ":" + port + ": " + e.getMessage(),
                    "choose another --port, or stop the program using it");
        } catch (UnmaskException | RuntimeException e) {
            lm.close();
            throw e;
        }
        String host = options.bind().isLoopbackAddress() ? "127.0.0.1" : options.bind().getHostAddress();
        out.println("unmask: serving " + lm.info().id() + " on http://" + host + ":" + server.port() + "/"
                + (noBatching ? " (batching off)" : "") + " - Ctrl-C to stop");
        out.flush();
        awaitShutdown(server, lm);
        return 0;
    }

    /** Blocks until Ctrl-C; the shutdown hook closes the server, then the model, before the JVM exits. */
    private static void awaitShutdown(UnmaskServer server, LanguageModel lm) throws InterruptedException {
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            lm.close();
            stop.countDown();
        }, "unmask-serve-stop"));
        stop.await();
    }

    private ServerOptions options() throws InvalidInputException {
        InetAddress address;
        try {
            address = InetAddress.getByName(bind);
        } catch (UnknownHostException e) {
            throw new InvalidInputException("--bind " + bind + " is not an address of this machine", "use 127.0.0.1");
        }
        if (maxBatch < 1 || batchWaitMs < 0 || threads < 1) {
            throw new InvalidInputException("--max-batch and --threads must be >= 1, --batch-wait-ms >= 0", "");
        }
        if (maxForwardPasses < 1 || requestTimeoutMs < 1 || headerTimeoutMs < 1 || bodyTimeoutMs < 1
                || maxConnections < 1 || maxConnectionsPerClient < 1) {
            throw new InvalidInputException("--max-forward-passes, --request-timeout-ms, --header-timeout-ms, "
                    + "--body-timeout-ms, --max-connections and --max-connections-per-client must be >= 1",
                    "see docs/security.md for what each limit does and its default");
        }
        ServerLimits limits = ServerLimits.DEFAULT.withMaxForwardPasses(maxForwardPasses)
                .withRequestTimeoutMillis(requestTimeoutMs).withReadTimeouts(headerTimeoutMs, bodyTimeoutMs)
                .withConnections(maxConnections, maxConnectionsPerClient);
        String t = token != null ? token : System.getenv("UNMASK_SERVER_TOKEN");
        BatchingOptions batching = new BatchingOptions(!noBatching, batchWaitMs, maxBatch, 256);
        return new ServerOptions(address, port, Optional.ofNullable(t), runsDir, limits, batching,
                threads, 1, 4);
    }
}
