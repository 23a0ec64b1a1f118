#!/usr/bin/env bash
# Load test of the fill-mask API against the real model (see LoadTest's Javadoc and PERFORMANCE.md, "Server").
# Usage: server/load-test.sh [clients=8] [seconds=20] [modes=batched,single] [model=embedded] [batch-wait-ms=5] [backend=onnx]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mvn -q -o -B -DskipTests package -pl cli -am >&2          # the launcher jar and its runtime classpath
mvn -q -o -B test-compile -pl server -am >&2             # LoadTest itself (server/target/test-classes)
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}" DJL_OFFLINE=true
exec java -Xmx6g -XX:+IgnoreUnrecognizedVMOptions --enable-native-access=ALL-UNNAMED -Dai.djl.offline=true \
  -Dai.djl.pytorch.num_interop_threads=1 \
  -cp "server/target/test-classes:cli/target/unmask-cli.jar:$(cat cli/target/classpath.txt)" \
  org.unmask.server.LoadTest "$@"
