#!/usr/bin/env bash
# Local engine vs a Spark standalone cluster on this machine (issue 18 item 5: scale honesty).
#
# What it does, in order:
#   1. builds a large input by symlinking the gutenberg-medium shards REPEAT times into a temp folder
#      (default 32 x 5 shards = 160 .jsonl.gz files, about 2.07 GB of uncompressed JSONL);
#   2. starts a standalone master and WORKERS workers (1 core, WORKER_MEMORY each) as separate JVMs on 127.0.0.1,
#      from the Spark jars the build resolved (spark/target/spark-classpath.txt), exactly as cli's SparkClusterTest
#      does; every process it started (and the workers' executors) is stopped on exit, also on failure or Ctrl-C;
#   3. runs, alternating, ROUNDS times: the local engine (`unmask corpus stats --threads 2`, ISA-L gunzip), the
#      cluster job (`unmask corpus stats --spark spark://...`), and the local engine with java.util.zip only
#      (`-Dunmask.corpus.gunzip=jdk`, which is what the executors inflate with: the application jar carries no
#      ISA-L), each into a fresh --out, and checks that every run's counts equal the first run's;
#   4. prints wall time, MB/s (10^6 bytes of uncompressed JSONL per wall second) and process CPU for each run, the
#      overhead ratio cluster wall / local wall per round, and for the cluster the executors' task CPU time (Spark
#      event log) and the executor JVMs' whole CPU time (sampled from /proc while they live).
#
# Usage: tools/spark/local-cluster-bench.sh            (from anywhere; builds the CLI and the app jar if needed)
# Env:   REPEAT=32 ROUNDS=2 WORKERS=2 WORKER_MEMORY=1g EXECUTOR_MEMORY=896m LOCAL_THREADS=2 LOCAL_HEAP=2g
#        CORPUS=<repo>/../shared/corpora/gutenberg-medium  KEEP=1 (keep the temp folder with logs and outputs)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
REPEAT="${REPEAT:-32}"
ROUNDS="${ROUNDS:-2}"
WORKERS="${WORKERS:-2}"
WORKER_MEMORY="${WORKER_MEMORY:-1g}"
EXECUTOR_MEMORY="${EXECUTOR_MEMORY:-896m}"
LOCAL_THREADS="${LOCAL_THREADS:-2}"
LOCAL_HEAP="${LOCAL_HEAP:-2g}"
CORPUS="${CORPUS:-$root/../shared/corpora/gutenberg-medium}"
export SPARK_LOCAL_IP=127.0.0.1

die() { echo "local-cluster-bench: $*" >&2; exit 3; }
[[ -d "$CORPUS" ]] || die "corpus folder $CORPUS not found (set CORPUS=<folder of .jsonl.gz shards>)"
shopt -s nullglob
shards=("$CORPUS"/*.jsonl.gz)
((${#shards[@]} > 0)) || die "no .jsonl.gz shards in $CORPUS"
command -v jq >/dev/null || die "jq is needed to compare outputs and read the Spark event log"

work="$(mktemp -d "${TMPDIR:-/tmp}/unmask-spark-bench.XXXXXX")"
started=()   # pids of the master and workers this script started

# Every descendant of a pid, deepest first (executors under workers, SparkSubmit under the CLI).
descendants() {
  local c
  for c in $(ps -o pid= --ppid "$1" 2>/dev/null); do
    descendants "$c"
    echo "$c"
  done
}

cleanup() {
  local rc=$? p pids=()
  trap - EXIT INT TERM
  for p in "${started[@]}" "${poller:-}"; do
    [[ -n "$p" ]] || continue
    pids+=($(descendants "$p") "$p")
  done
  pids+=($(descendants $$))   # a CLI / driver still running after an interrupt
  ((${#pids[@]} == 0)) || kill -9 "${pids[@]}" 2>/dev/null || true
  for p in "${pids[@]}"; do
    while kill -0 "$p" 2>/dev/null; do sleep 0.2; done
  done
  if [[ "${KEEP:-0}" == 1 ]]; then
    echo "kept $work" >&2
  else
    rm -rf "$work"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

echo "== machine: $(nproc) CPUs, $(lscpu | sed -n 's/^Model name: *//p'), $(free -g | awk '/^Mem:/{print $2}') GiB;" \
  "$(java -version 2>&1 | head -1); load average $(loadavg)"

# --- 0. the CLI and the application jar (./unmask builds both when sources changed) -------------------------------
(cd "$root" && ./unmask --version >/dev/null)
[[ -f "$root/spark/target/unmask-spark-app.jar" && -f "$root/spark/target/spark-classpath.txt" ]] \
  || die "spark/target/unmask-spark-app.jar or spark-classpath.txt missing after the build"

# --- 1. the input: the shards symlinked REPEAT times ---------------------------------------------------------------
input="$work/input"
shard_bytes=0
for s in "${shards[@]}"; do
  shard_bytes=$((shard_bytes + $(gzip -dc "$s" | wc -c)))
done
for ((r = 0; r < REPEAT; r++)); do
  d="$input/r$(printf %03d "$r")"
  mkdir -p "$d"
  for s in "${shards[@]}"; do ln -s "$(readlink -f "$s")" "$d/$(basename "$s")"; done
done
bytes=$((shard_bytes * REPEAT))
files=$((${#shards[@]} * REPEAT))
echo "== input: ${#shards[@]} shards x $REPEAT = $files files, $bytes bytes of uncompressed JSONL" \
  "($(awk -v b="$bytes" 'BEGIN{printf "%.2f", b/1e9}') GB)"

# --- 2. the cluster: master + workers, laid out as a Spark distribution (a worker builds executor command lines
#        from SPARK_HOME/jars) --------------------------------------------------------------------------------------
classpath="$(tr -d '\n' < "$root/spark/target/spark-classpath.txt")"
home="$work/spark-home"
mkdir -p "$home/jars" "$work/local" "$work/eventlog"
IFS=':' read -r -a jars <<< "$classpath"
for j in "${jars[@]}"; do ln -sf "$j" "$home/jars/$(basename "$j")"; done
echo "Spark jars of the unmask build, for local-cluster-bench" > "$home/RELEASE"
# the JDK 17 module options spark-submit adds (SparkSubmission.JAVA_17_OPTIONS in cli)
java17=(--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
  --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
  -Djdk.reflect.useDirectMethodHandle=false -Dio.netty.tryReflectionSetAccessible=true)

launch() {  # launch LOG MAINCLASS ARGS... : a daemon JVM in the background; its pid is recorded for cleanup
  local log="$1" main="$2"
  shift 2
  SPARK_HOME="$home" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_DIRS="$work/local" \
    java -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 "${java17[@]}" -cp "$classpath" "$main" "$@" \
    >"$log" 2>&1 &
  started+=($!)
  disown "$!"   # cleanup kills it by pid; no job-control notice then
}

await() {  # await LOG REGEX SECONDS : prints the first match of REGEX's group in LOG
  local log="$1" re="$2" deadline=$((SECONDS + $3)) m
  while ((SECONDS < deadline)); do
    m="$(grep -oE "$re" "$log" 2>/dev/null | head -1 || true)"
    if [[ -n "$m" ]]; then echo "$m"; return 0; fi
    sleep 0.3
  done
  echo "local-cluster-bench: no '$re' in $log within $3 s:" >&2
  cat "$log" >&2
  return 1
}

launch "$work/master.log" org.apache.spark.deploy.master.Master --host 127.0.0.1 --port 0 --webui-port 0
master="$(await "$work/master.log" 'spark://[0-9.]+:[0-9]+' 120)"
workers=()
for ((i = 0; i < WORKERS; i++)); do
  mkdir -p "$work/worker-$i"
  launch "$work/worker-$i.log" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --port 0 --webui-port 0 \
    --cores 1 --memory "$WORKER_MEMORY" --work-dir "$work/worker-$i" "$master"
  workers+=("${started[-1]}")
done
for ((i = 0; i < WORKERS; i++)); do
  await "$work/worker-$i.log" 'Successfully registered with master' 120 >/dev/null
done
echo "== cluster: $master, $WORKERS workers x 1 core, worker memory $WORKER_MEMORY, executor memory $EXECUTOR_MEMORY"

# --- 3. the runs --------------------------------------------------------------------------------------------------
clk="$(getconf CLK_TCK)"
# Samples utime+stime of every executor JVM (a child of a worker) while it lives; the last sample per pid counts.
sample_executors() {
  local out="$1" w c
  while :; do
    for w in "${workers[@]}"; do
      for c in $(ps -o pid= --ppid "$w" 2>/dev/null); do
        awk -v p="$c" '{print p, $14 + $15}' "/proc/$c/stat" 2>/dev/null >>"$out" || true
      done
    done
    sleep 0.5
  done
}

results="$work/results.tsv"
: >"$results"
reference=""
same_as_reference() {  # same_as_reference OUTDIR : counts, skips and status equal to the first run's
  local fields='{status, spec, totals, summary, occupations, skipped}'
  cmp -s "$reference/occupations.csv" "$1/occupations.csv" \
    && [[ "$(jq -S "$fields" "$reference/corpus-stats.json")" == "$(jq -S "$fields" "$1/corpus-stats.json")" ]]
}

run() {  # run KIND ROUND
  local kind="$1" round="$2" out="$work/out-$1-$2" t0 t1 rc=0 la0 la1 opts cpu ev
  local exec_cpu="" task_cpu="" task_run="" tasks="" span=""
  la0="$(loadavg)"
  local cmd=(./unmask corpus stats "$input" --out "$out" --no-progress)
  case "$kind" in
    local) opts="-Xmx$LOCAL_HEAP"; cmd+=(--threads "$LOCAL_THREADS") ;;
    local-jdk) opts="-Xmx$LOCAL_HEAP -Dunmask.corpus.gunzip=jdk"; cmd+=(--threads "$LOCAL_THREADS") ;;
    cluster)
      opts="-Xmx256m"
      rm -rf "$work/eventlog"/*
      cmd+=(--spark "$master" --spark-conf "spark.executor.memory=$EXECUTOR_MEMORY"
        --spark-conf spark.eventLog.enabled=true --spark-conf "spark.eventLog.dir=file://$work/eventlog"
        --spark-conf spark.eventLog.compress=false)
      : >"$work/exec-cpu-$round"
      sample_executors "$work/exec-cpu-$round" &
      poller=$!
      ;;
  esac
  t0="$(date +%s.%N)"
  # in the background and waited for: a TERM/INT then reaches the trap at once, not after the run
  (cd "$root" && UNMASK_JAVA_OPTS="$opts" /usr/bin/time -f '%U %S' -o "$work/time-$kind-$round" "${cmd[@]}") \
    >"$work/log-$kind-$round" 2>&1 &
  wait "$!" || rc=$?
  t1="$(date +%s.%N)"
  la1="$(loadavg)"
  if [[ "$kind" == cluster ]]; then
    sleep 1   # executors exit after the application ends; let the sampler see their last second
    kill "$poller" 2>/dev/null; wait "$poller" 2>/dev/null || true
    poller=""
    exec_cpu="$(awk -v t="$clk" '{last[$1] = $2} END{s = 0; for (p in last) s += last[p]; printf "%.1f", s / t}' \
      "$work/exec-cpu-$round")"
    ev=("$work"/eventlog/*/events_* "$work"/eventlog/app-*)
    if ((${#ev[@]} > 0)); then
      # task CPU (executor CPU + deserialisation, s), task run time (s), tasks, first launch to last finish (s)
      read -r task_cpu task_run tasks span < <(jq -rs '[.[] | select(.Event == "SparkListenerTaskEnd")]
        | [([.[] | ."Task Metrics" | ."Executor CPU Time" + ."Executor Deserialize CPU Time"] | add / 1e9),
           ([.[] | ."Task Metrics"."Executor Run Time"] | add / 1e3), length,
           (([.[] | ."Task Info"."Finish Time"] | max) - ([.[] | ."Task Info"."Launch Time"] | min)) / 1e3]
        | map(. * 10 | round / 10) | @tsv' "${ev[@]}")
    fi
  fi
  if [[ $rc != 0 && $rc != 6 ]]; then
    echo "local-cluster-bench: $kind run $round failed (exit $rc):" >&2
    tail -30 "$work/log-$kind-$round" >&2
    exit 1
  fi
  if [[ -z "$reference" ]]; then
    reference="$out"
  elif ! same_as_reference "$out"; then
    echo "local-cluster-bench: $kind run $round counted differently from $(basename "$reference")" >&2
    KEEP=1
    exit 5
  fi
  cpu="$(awk '{printf "%.1f", $1 + $2}' "$work/time-$kind-$round")"
  local wall
  wall="$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", b - a}')"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$kind" "$round" "$wall" "$cpu" "$exec_cpu" "$task_cpu" \
    "$task_run" "$span" "$la0" "$la1" \
    >>"$results"
  printf '   %-9s round %s: %7.2f s wall, %7.1f MB/s, CLI+driver CPU %s s%s  (load %s -> %s)\n' "$kind" "$round" \
    "$wall" "$(awk -v b="$bytes" -v w="$wall" 'BEGIN{print b / w / 1e6}')" "$cpu" \
    "${exec_cpu:+; executor JVMs CPU $exec_cpu s; $tasks tasks: CPU $task_cpu s, run time $task_run s,}${exec_cpu:+ \
first launch to last finish $span s}" \
    "$la0" "$la1"
}

echo "== runs (alternating; every run's counts are checked against the first)"
for ((r = 1; r <= ROUNDS; r++)); do
  run local "$r"
  run cluster "$r"
  run local-jdk "$r"
done

# --- 4. summary ---------------------------------------------------------------------------------------------------
echo "== summary ($bytes bytes of JSONL; MB = 10^6 bytes; all outputs identical)"
awk -F'\t' -v b="$bytes" '
  function mb(sec) { return sec > 0 ? b / sec / 1e6 : 0 }
  { wall[$1, $2] = $3; cpu[$1, $2] = $4; ex[$1, $2] = $5; task[$1, $2] = $6; run[$1, $2] = $7; span[$1, $2] = $8
    n = ($2 > n ? $2 : n) }
  END {
    for (r = 1; r <= n; r++) {
      printf "round %d, MB/s (wall): local %.1f | cluster %.1f | local java.util.zip %.1f\n", r,
        mb(wall["local", r]), mb(wall["cluster", r]), mb(wall["local-jdk", r])
      printf "  overhead ratio (cluster wall / local wall): %.2f; against local java.util.zip: %.2f\n",
        wall["cluster", r] / wall["local", r], wall["cluster", r] / wall["local-jdk", r]
      printf "  cluster: %.1f MB/s from first task launch to last task finish (%.1f s of %.1f s wall);" \
        " per executor core %.1f MB per task-CPU-s, %.1f MB per task-run-s, %.1f MB per executor-JVM-CPU-s\n",
        mb(span["cluster", r]), span["cluster", r], wall["cluster", r], mb(task["cluster", r]),
        mb(run["cluster", r]), mb(ex["cluster", r])
      printf "  local: %.1f MB per process-CPU-s; local java.util.zip: %.1f MB per process-CPU-s\n",
        mb(cpu["local", r]), mb(cpu["local-jdk", r])
      # CPU is steadier than wall time on a shared machine: every cluster-side JVM against the local process
      printf "  CPU ratio (cluster CLI+driver+executor JVMs / local process): %.2f; against local java.util.zip:" \
        " %.2f\n", (cpu["cluster", r] + ex["cluster", r]) / cpu["local", r],
        (cpu["cluster", r] + ex["cluster", r]) / cpu["local-jdk", r]
    }
  }' "$results"
echo "== load average at the end: $(loadavg)"
