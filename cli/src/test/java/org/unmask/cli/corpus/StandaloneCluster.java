package org.unmask.cli.corpus;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Spark standalone cluster on loopback for tests: one master and N workers, each a separate JVM started from
 * the Spark jars this build resolved (spark/target/spark-classpath.txt), laid out as a Spark distribution
 * ({@code jars/} of symbolic links) because a worker builds its executors' command lines from SPARK_HOME.
 * {@link #close()} stops every process it started and their children (executors), also after a failure.
 */
final class StandaloneCluster implements AutoCloseable {
    private static final Pattern MASTER_URL = Pattern.compile("Starting Spark master at (spark://[0-9.]+:[0-9]+)");
    private final Path dir;
    private final String classpath;
    private final Path home;
    private final List<Process> started = new ArrayList<>();
    private final Thread hook = new Thread(this::stopAll, "stop-spark-test-cluster");
    private final List<Process> workers = new ArrayList<>();
    private String masterUrl;

    StandaloneCluster(Path dir, Path sparkClasspath) throws IOException {
        this.dir = dir;
        this.classpath = Files.readString(sparkClasspath).trim();
        this.home = Files.createDirectories(dir.resolve("spark-home"));
        Path jars = Files.createDirectories(home.resolve("jars"));
        for (String jar : classpath.split(File.pathSeparator)) {
            Path j = Path.of(jar);
            Path link = jars.resolve(j.getFileName());
            if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.createSymbolicLink(link, j);
            }
        }
        Files.writeString(home.resolve("RELEASE"), "Spark jars of the unmask build, for tests\n");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Starts the master, then {@code n} workers of one core each; returns when all are registered. */
    String start(int n, String workerMemory) throws IOException, InterruptedException {
        Path masterLog = dir.resolve("master.log");
        launch(
                "org.apache.spark.deploy.master.Master",
                masterLog,
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--webui-port",
                "0");
        masterUrl = await(masterLog, MASTER_URL, 90);
        for (int i = 0; i < n; i++) {
            Path work = Files.createDirectories(dir.resolve("worker-" + i));
            workers.add(launch(
                    "org.apache.spark.deploy.worker.Worker",
                    dir.resolve("worker-" + i + ".log"),
                    "--host",
                    "127.0.0.1",
                    "--port",
                    "0",
                    "--webui-port",
                    "0",
                    "--cores",
                    "1",
                    "--memory",
                    workerMemory,
                    "--work-dir",
                    work.toString(),
                    masterUrl));
        }
        for (int i = 0; i < n; i++) {
            await(dir.resolve("worker-" + i + ".log"), Pattern.compile("(Successfully registered with master)"), 90);
        }
        return masterUrl;
    }

    private Process launch(String mainClass, Path log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1"));
        cmd.addAll(SparkSubmission.JAVA_17_OPTIONS);
        cmd.addAll(List.of("-cp", classpath, mainClass));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.put("SPARK_HOME", home.toString());
        env.put("SPARK_SCALA_VERSION", "2.13");
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        env.put(
                "SPARK_LOCAL_DIRS",
                Files.createDirectories(dir.resolve("local")).toString());
        Process p = pb.start();
        synchronized (started) {
            started.add(p);
        }
        return p;
    }

    private static String await(Path log, Pattern p, int seconds) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log)) {
                Matcher m = p.matcher(Files.readString(log, StandardCharsets.UTF_8));
                if (m.find()) {
                    return m.group(1);
                }
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("no '" + p + "' in " + log + " within " + seconds + " s:\n"
                + (Files.exists(log) ? Files.readString(log) : "(no log)"));
    }

    /** Kills worker {@code i} and its executor with SIGKILL, as when its machine dies. */
    void killWorker(int i) throws InterruptedException {
        Process w = workers.get(i);
        List<ProcessHandle> executors = w.descendants().toList();
        w.destroyForcibly();
        executors.forEach(ProcessHandle::destroyForcibly);
        w.waitFor(30, TimeUnit.SECONDS);
    }

    String log(String name) throws IOException {
        Path f = dir.resolve(name);
        return Files.exists(f) ? Files.readString(f) : "";
    }

    private void stopAll() {
        List<Process> all;
        synchronized (started) {
            all = new ArrayList<>(started);
        }
        List<ProcessHandle> handles = new ArrayList<>();
        for (Process p : all) {
            handles.addAll(p.descendants().toList()); // executors (and their children) before their worker goes
            handles.add(p.toHandle());
        }
        // the driver (SparkSubmit) this test's CLI started, should a failed run have left it behind
        ProcessHandle.current()
                .descendants()
                .filter(h -> h.info().commandLine().orElse("").contains("org.apache.spark.deploy.SparkSubmit"))
                .forEach(handles::add);
        handles.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle h : handles) {
            try {
                h.onExit().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                // already gone, or the wait was interrupted: nothing else to do on the way out
            }
        }
    }

    /** Every process started, and their descendants, are stopped. */
    boolean allStopped() {
        synchronized (started) {
            return started.stream().noneMatch(Process::isAlive)
                    && started.stream().allMatch(p -> p.descendants().findAny().isEmpty());
        }
    }

    @Override
    public void close() {
        stopAll();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook runs stopAll itself
        }
    }
}
