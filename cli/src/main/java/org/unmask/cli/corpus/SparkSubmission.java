package org.unmask.cli.corpus;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.unmask.cli.ProgressBar;
import org.unmask.core.error.InvalidInputException;

/**
 * Runs the corpus job on a Spark cluster: submits the application jar ({@code spark/target/unmask-spark-app.jar})
 * in client mode, so the driver runs here and writes {@code --out} itself, streams the job's progress lines into
 * a progress bar and passes its summary and warnings through. The submitter is {@code $SPARK_HOME/bin/spark-submit},
 * else {@code spark-submit} on the PATH, else Spark's own submit class from the jars this build resolved
 * ({@code spark/target/spark-classpath.txt}). Which Spark runs the executors is the cluster's business.
 */
final class SparkSubmission {
    static final String JOB_CLASS = "org.unmask.spark.CorpusStatsJob";
    static final String APP_JAR = "spark/target/unmask-spark-app.jar";
    static final String SPARK_CLASSPATH = "spark/target/spark-classpath.txt";
    private static final String PROGRESS = "unmask-progress ";
    /** Spark's start-up chatter before the job's log level applies. */
    private static final Pattern NOISE = Pattern.compile("^(\\d\\d/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d INFO "
            + "|Using Spark's default log4j profile|Setting Spark log level)");
    /** What spark-submit adds for Spark on JDK 17 (its launcher's module options). */
    static final List<String> JAVA_17_OPTIONS = List.of(
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED",
            "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
            "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
            "-Djdk.reflect.useDirectMethodHandle=false",
            "-Dio.netty.tryReflectionSetAccessible=true");

    private SparkSubmission() {}

    /** The job's own arguments after the jar. */
    record Job(
            String input,
            Path out,
            int window,
            String textField,
            Path occupations,
            Path genderWords,
            int maxLineBytes) {
        List<String> args() {
            List<String> a = new ArrayList<>(List.of(
                    input,
                    "--out",
                    out.toAbsolutePath().toString(),
                    "--window",
                    Integer.toString(window),
                    "--text-field",
                    textField,
                    "--max-line-bytes",
                    Integer.toString(maxLineBytes)));
            if (occupations != null) {
                a.addAll(List.of("--occupations", occupations.toAbsolutePath().toString()));
            }
            if (genderWords != null) {
                a.addAll(List.of("--gender-words", genderWords.toAbsolutePath().toString()));
            }
            return a;
        }
    }

    /**
     * The input as the cluster sees it: a URI ({@code hdfs://}, {@code s3a://}, {@code file:}) as given; a local
     * path as an absolute {@code file:} URI, which executors on other machines can read only from shared storage.
     */
    static String clusterInput(String input) throws InvalidInputException {
        if (input.matches("^[A-Za-z][A-Za-z0-9+.-]*:.*") && !input.matches("^[A-Za-z]:[\\\\/].*")) {
            return input;
        }
        Path p = Path.of(input).toAbsolutePath().normalize();
        if (!Files.exists(p)) {
            throw new InvalidInputException(
                    "corpus path " + input + " does not exist",
                    "give a folder (local, file://, hdfs://, s3a://) of corpus files");
        }
        return p.toUri().toString();
    }

    /** The full submit command for {@code master}. */
    static List<String> command(String master, List<String> conf, Job job, Map<String, String> env)
            throws InvalidInputException {
        Path jar = appJar(env);
        List<String> cmd = new ArrayList<>(submitter(env));
        cmd.addAll(List.of(
                "--master",
                master,
                "--deploy-mode",
                "client",
                "--class",
                JOB_CLASS,
                "--name",
                "unmask corpus stats",
                "--conf",
                "spark.ui.showConsoleProgress=false",
                "--conf",
                "spark.log.level=WARN"));
        for (String c : conf) {
            if (!c.contains("=") || c.startsWith("=")) {
                throw new InvalidInputException(
                        "--spark-conf " + c + " is not KEY=VALUE", "e.g. --spark-conf spark.executor.memory=4g");
            }
            cmd.addAll(List.of("--conf", c));
        }
        cmd.add(jar.toString());
        cmd.addAll(job.args());
        return cmd;
    }

    private static List<String> submitter(Map<String, String> env) throws InvalidInputException {
        String home = env.get("SPARK_HOME");
        if (home != null && !home.isBlank()) {
            Path s = Path.of(home, "bin", "spark-submit");
            if (Files.isExecutable(s)) {
                return List.of(s.toString());
            }
        }
        for (String dir : env.getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "spark-submit"))) {
                return List.of(Path.of(dir, "spark-submit").toString());
            }
        }
        Optional<Path> cp = fromRepository(SPARK_CLASSPATH);
        if (cp.isEmpty()) {
            throw new InvalidInputException(
                    "no spark-submit found (SPARK_HOME unset, none on the PATH) and no Spark" + " jars from this build",
                    "install Spark 4.1 and set SPARK_HOME, or build once: mvn -pl spark -am" + " package -DskipTests");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(JAVA_17_OPTIONS);
        cmd.add("-Xmx" + env.getOrDefault("UNMASK_SPARK_DRIVER_MEMORY", "1g"));
        try {
            cmd.addAll(List.of("-cp", Files.readString(cp.get()).trim(), "org.apache.spark.deploy.SparkSubmit"));
        } catch (IOException e) {
            throw new InvalidInputException(
                    "cannot read " + cp.get() + ": " + e.getMessage(),
                    "rebuild: mvn -pl spark -am package -DskipTests");
        }
        return cmd;
    }

    private static Path appJar(Map<String, String> env) throws InvalidInputException {
        String given = env.get("UNMASK_SPARK_APP");
        if (given != null && !given.isBlank()) {
            Path p = Path.of(given);
            if (!Files.isRegularFile(p)) {
                throw new InvalidInputException(
                        "UNMASK_SPARK_APP=" + given + " is not a file",
                        "point it at unmask-spark-app.jar, or unset it to use " + APP_JAR);
            }
            return p.toAbsolutePath();
        }
        return fromRepository(APP_JAR)
                .orElseThrow(() -> new InvalidInputException(
                        "the Spark application jar " + APP_JAR + " was not found",
                        "build it: mvn -pl spark -am package -DskipTests (or set UNMASK_SPARK_APP to the jar)"));
    }

    /** {@code relative} in the repository this CLI was built in (walking up from its classes), or the cwd's. */
    private static Optional<Path> fromRepository(String relative) {
        List<Path> starts = new ArrayList<>();
        try {
            starts.add(Path.of(SparkSubmission.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI()));
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            // no code source (an unusual class loader): the working directory still applies
        }
        starts.add(Path.of("").toAbsolutePath());
        for (Path start : starts) {
            for (Path p = start; p != null; p = p.getParent()) {
                Path c = p.resolve(relative);
                if (Files.isRegularFile(c)) {
                    return Optional.of(c);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Runs {@code cmd}, passing the job's output to {@code out} and its warnings to {@code err}, progress lines to
     * {@code bar} (may be null); returns the job's exit status.
     */
    static int run(List<String> cmd, String master, PrintWriter out, PrintWriter err, ProgressBar bar)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        environment(pb.environment(), master);
        Process p = pb.start();
        Thread errors = new Thread(() -> copy(p, err), "unmask-spark-stderr");
        errors.setDaemon(true);
        errors.start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith(PROGRESS)) {
                    String[] f = line.substring(PROGRESS.length()).trim().split(" ");
                    if (bar != null && f.length == 4) {
                        bar.progress(Long.parseLong(f[0]), Long.parseLong(f[1]), "shards");
                    }
                } else {
                    out.println(line);
                }
            }
        } finally {
            if (p.isAlive() && Thread.currentThread().isInterrupted()) {
                p.destroy();
            }
        }
        int rc = p.waitFor();
        errors.join(5_000);
        out.flush();
        return rc;
    }

    /**
     * The launcher pins Spark to loopback ({@code SPARK_LOCAL_IP=127.0.0.1}) for local runs; executors on other
     * machines could not reach a driver bound there, so for a remote master Spark picks this host's address.
     */
    static void environment(Map<String, String> env, String master) {
        boolean loopback = master.startsWith("local") || master.contains("://127.") || master.contains("://localhost");
        if ("127.0.0.1".equals(env.get("SPARK_LOCAL_IP")) && !loopback) {
            env.remove("SPARK_LOCAL_IP");
        }
    }

    private static void copy(Process p, PrintWriter err) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!NOISE.matcher(line).find()) {
                    synchronized (err) {
                        err.println(line);
                        err.flush();
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
