package org.unmask.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.unmask.app.ExecutorPolicy;
import org.unmask.core.engine.RequestExecutor;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.error.ModelException;
import org.unmask.core.lexicon.GenderedWords;
import org.unmask.core.lexicon.Lexicons;
import org.unmask.core.model.LanguageModel;
import org.unmask.core.model.ModelInfo;
import org.unmask.core.model.ModelKind;
import org.unmask.server.explore.Explorer;
import org.unmask.server.http.ConnectionGate;
import org.unmask.server.http.Exchanges;
import org.unmask.server.http.Router;
import org.unmask.server.jobs.JobService;
import org.unmask.server.jobs.JobType;
import org.unmask.server.jobs.RunStore;
import org.unmask.server.model.MaskFiller;
import org.unmask.server.model.ModelWorker;

/**
 * The Unmask HTTP service on the JDK's own {@link HttpServer}: the explorer page, the fill-mask and
 * explorer API (batched through one {@link ModelWorker}), and background audit/benchmark jobs. The
 * caller owns the model and closes it after the server.
 *
 * <p>Clients connect to a {@link ConnectionGate} on the public address, which enforces the connection limits and
 * read timeouts and forwards only complete requests to the JDK server on an ephemeral loopback port; see
 * docs/security.md.
 */
public final class UnmaskServer implements AutoCloseable {
    static {
        // the JDK server waits forever for slow clients unless told otherwise (read once, at its first use)
        setIfAbsent("sun.net.httpserver.maxReqTime", "30");
        setIfAbsent("sun.net.httpserver.maxRspTime", "120");
        setIfAbsent("sun.net.httpserver.idleInterval", "30");
        // the gate relays every answer over loopback: send the JDK server's header and body writes at once
        setIfAbsent("sun.net.httpserver.nodelay", "true");
    }

    /** Time a client has to read its answer, on top of the read and request timeouts. */
    private static final long RESPONSE_MILLIS = 60_000;

    private final ConnectionGate gate;
    private final HttpServer http;
    private final ThreadPoolExecutor handlers;
    private final ModelWorker worker;
    private final JobService jobs;

    private UnmaskServer(
            ConnectionGate gate, HttpServer http, ThreadPoolExecutor handlers, ModelWorker worker, JobService jobs) {
        this.gate = gate;
        this.http = http;
        this.handlers = handlers;
        this.worker = worker;
        this.jobs = jobs;
    }

    /**
     * Starts serving a masked language model.
     *
     * @param model a loaded masked LM
     * @param jobTypes the audits and benchmarks clients may start
     */
    public static UnmaskServer start(LanguageModel model, List<JobType> jobTypes, ServerOptions options)
            throws InvalidInputException, ModelException, IOException {
        options.check();
        ModelInfo info = model.info();
        if (info.kind() != ModelKind.MASKED_LM) {
            throw new ModelException(
                    info.id() + " is a " + info.kind() + " model; the explorer needs a masked LM",
                    "serve a BERT-family model, e.g. --model bert-base-uncased");
        }
        RequestExecutor executor = ExecutorPolicy.SERVE.executor(model);
        ModelWorker worker = new ModelWorker(executor, options.batching());
        MaskFiller filler = new MaskFiller(worker, model.tokenizer(), options.limits(), info.maxLength());
        Explorer explorer = new Explorer(filler, GenderedWords.builtIn(), Lexicons.occupations());
        JobService jobs = new JobService(
                jobTypes,
                new RunStore(options.runsDir()),
                worker,
                info,
                model.tokenizer(),
                options.jobWorkers(),
                options.jobQueue());

        ServerLimits lim = options.limits();
        ConnectionGate gate = ConnectionGate.bind(
                new InetSocketAddress(options.bind(), options.port()),
                128,
                new ConnectionGate.Settings(
                        lim.headerTimeoutMillis(),
                        lim.bodyTimeoutMillis(),
                        lim.maxHeaderBytes(),
                        lim.maxBodyBytes(),
                        lim.maxConnections(),
                        lim.maxConnectionsPerClient(),
                        lim.headerTimeoutMillis()
                                + lim.bodyTimeoutMillis()
                                + lim.requestTimeoutMillis()
                                + RESPONSE_MILLIS));
        Router router = new Router(options.token(), options.bind().isLoopbackAddress(), gate::verify);
        new StaticPages().register(router);
        new FillMaskEndpoints(filler, explorer, info.id()).register(router);
        new JobEndpoints(jobs, info.id()).register(router);
        ObjectNode infoJson = infoJson(info, options, jobs);
        router.add("GET", "/api/info", (ex, p) -> Exchanges.sendJson(ex, 200, infoJson));

        // bounded handler pool: beyond it connections wait in the accept backlog instead of spawning threads
        ThreadPoolExecutor handlers = new ThreadPoolExecutor(
                options.httpThreads(),
                options.httpThreads(),
                0,
                TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(1024),
                r -> {
                    Thread t = new Thread(r, "unmask-http");
                    t.setDaemon(true);
                    return t;
                },
                new ThreadPoolExecutor.CallerRunsPolicy());
        HttpServer http;
        try {
            http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        } catch (IOException e) {
            gate.close();
            throw e;
        }
        http.createContext("/", router);
        http.setExecutor(handlers);
        http.start();
        gate.start(http.getAddress());
        return new UnmaskServer(gate, http, handlers, worker, jobs);
    }

    private static ObjectNode infoJson(ModelInfo info, ServerOptions options, JobService jobs) {
        ObjectNode root = Exchanges.JSON.createObjectNode();
        ObjectNode m = root.putObject("model");
        m.put("id", info.id());
        m.put("architecture", info.architecture());
        m.put("backend", info.backend());
        m.put("max_length", info.maxLength());
        m.put("weights_sha256", info.weightsSha256());
        root.set("limits", Exchanges.JSON.valueToTree(options.limits()));
        root.put("batching", options.batching().enabled());
        ArrayNode types = root.putArray("jobs");
        for (JobType t : jobs.types()) {
            ObjectNode o = types.addObject();
            o.put("kind", t.kind());
            o.put("name", t.name());
            o.put("description", t.description());
        }
        return root;
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /** The public port actually bound (useful with port 0). */
    public int port() {
        return gate.port();
    }

    public ModelWorker worker() {
        return worker;
    }

    @Override
    public void close() {
        gate.close();
        http.stop(0);
        jobs.close();
        worker.close();
        handlers.shutdownNow();
    }
}
