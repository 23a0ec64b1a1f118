#!/usr/bin/env bash
# The README's test command: makes sure the browser the end-to-end tests drive is present, then runs
# the whole Maven build with its tests. Everything else (JDK libraries, libtorch, ONNX Runtime, the BERT
# weights) comes from Maven Central through the build.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [[ "${UNMASK_SKIP_BROWSER:-0}" != 1 ]] && ! command -v chromium >/dev/null 2>&1; then
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "tools/test.sh: installing Debian's chromium for the browser tests" >&2
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "tools/test.sh: chromium is missing; install Debian's chromium (apt-get install chromium)," >&2
    echo "  or set UNMASK_SKIP_BROWSER=1 to skip the browser tests" >&2
    exit 1
  fi
fi

export OMP_WAIT_POLICY=PASSIVE SPARK_LOCAL_IP=127.0.0.1 DJL_OFFLINE=true
mvn -B -ntp verify
