package org.unmask.server.jobs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.unmask.core.error.UnmaskException;
import org.unmask.core.model.ModelInfo;
import org.unmask.core.model.TextTokenizer;
import org.unmask.server.http.ApiException;
import org.unmask.server.http.Exchanges;
import org.unmask.server.model.ModelWorker;

/**
 * Runs audit and benchmark jobs in the background on a fixed number of workers with a bounded queue:
 * when every worker is busy and the queue is full, a new job is refused with 429 rather than piling up.
 * Results go to the {@link RunStore} under the job id.
 */
public final class JobService implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(JobService.class.getName());
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final Map<String, JobType> types = new LinkedHashMap<>();
    private final Map<String, JobState> jobs = new ConcurrentHashMap<>();
    private final ThreadPoolExecutor pool;
    private final RunStore store;
    private final ModelWorker model;
    private final ModelInfo info;
    private final TextTokenizer tokenizer;
    private final SecureRandom random = new SecureRandom();

    public JobService(
            List<JobType> available,
            RunStore store,
            ModelWorker model,
            ModelInfo info,
            TextTokenizer tokenizer,
            int workers,
            int queueCapacity) {
        for (JobType t : available) {
            types.put(key(t.kind(), t.name()), t);
        }
        this.store = store;
        this.model = model;
        this.info = info;
        this.tokenizer = tokenizer;
        this.pool = new ThreadPoolExecutor(
                workers, workers, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queueCapacity), r -> {
                    Thread t = new Thread(r, "unmask-job");
                    t.setDaemon(true);
                    return t;
                });
    }

    public List<JobType> types() {
        return new ArrayList<>(types.values());
    }

    public RunStore store() {
        return store;
    }

    /**
     * Starts a job.
     *
     * @throws ApiException 400 for an unknown kind or name, 429 when the queue is full
     */
    public JobState submit(String kind, String name) throws ApiException {
        JobType type = types.get(key(kind, name));
        if (type == null) {
            List<String> known =
                    types.values().stream().map(t -> t.kind() + "/" + t.name()).toList();
            throw ApiException.badRequest(
                    "unknown_job",
                    "no " + kind + " named \"" + abbreviate(name) + "\"",
                    "available: " + String.join(", ", known));
        }
        String id = newId();
        JobState state = new JobState(id, type.kind(), type.name());
        jobs.put(id, state);
        try {
            pool.execute(() -> run(type, state));
        } catch (RejectedExecutionException e) {
            jobs.remove(id);
            throw new ApiException(
                    429,
                    "job_queue_full",
                    "too many jobs are queued or running",
                    "wait for a running job to finish, then retry");
        }
        return state;
    }

    /** A job started by this server process. */
    public Optional<JobState> get(String id) {
        return Optional.ofNullable(jobs.get(id));
    }

    private void run(JobType type, JobState state) {
        state.running();
        JobContext ctx = new JobContext() {
            @Override
            public ModelWorker model() {
                return model;
            }

            @Override
            public ModelInfo modelInfo() {
                return info;
            }

            @Override
            public TextTokenizer tokenizer() {
                return tokenizer;
            }

            @Override
            public void progress(long done, long total, String unit) {
                state.progress(done, total, unit);
            }
        };
        try {
            JobOutput out = type.run(ctx);
            store.write(
                    state.id(),
                    RunStore.RESULT,
                    Exchanges.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(out.result()));
            store.write(state.id(), RunStore.REPORT, out.html().getBytes(StandardCharsets.UTF_8));
            state.succeeded();
        } catch (UnmaskException e) {
            state.failed(e.userMessage());
        } catch (InterruptedException e) {
            state.failed("cancelled: the server is stopping");
            Thread.currentThread().interrupt();
        } catch (IOException | ApiException | RuntimeException e) {
            LOG.log(Level.SEVERE, "job " + state.id() + " failed", e);
            state.failed("internal error: " + e.getClass().getSimpleName());
        }
    }

    private String newId() {
        byte[] b = new byte[4];
        random.nextBytes(b);
        return ZonedDateTime.now(ZoneOffset.UTC).format(STAMP) + "-"
                + HexFormat.of().formatHex(b);
    }

    private static String key(String kind, String name) {
        return kind + "/" + name;
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
