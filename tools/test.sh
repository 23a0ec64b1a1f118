#!/usr/bin/env bash
# The project's test entry point (CI runs `bash tools/test.sh`): makes sure headless Chromium is present for the
# HTML-report browser checks, then runs the Maven build with every test.
#   UNMASK_SKIP_BROWSER=1  skip installing chromium; the browser tests then skip loudly instead of failing
#   extra arguments are passed to Maven, e.g. `bash tools/test.sh -pl probes -am`
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

have_chromium() {
  [[ -n "${UNMASK_CHROMIUM:-}" && -x "${UNMASK_CHROMIUM}" ]] && return 0
  for b in /usr/bin/chromium /usr/bin/chromium-browser /usr/bin/google-chrome /usr/bin/google-chrome-stable; do
    [[ -x "$b" ]] && return 0
  done
  return 1
}

if [[ "${UNMASK_SKIP_BROWSER:-0}" != "1" ]] && ! have_chromium; then
  echo "tools/test.sh: chromium not found; installing Debian's chromium for the report browser tests" >&2
  if [[ "$(id -u)" == "0" ]]; then
    SUDO=""
  elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  else
    echo "tools/test.sh: need root (or sudo) to apt-get install chromium; or set UNMASK_SKIP_BROWSER=1" >&2
    exit 1
  fi
  command -v apt-get >/dev/null 2>&1 || { echo "tools/test.sh: no apt-get; install chromium yourself" >&2; exit 1; }
  export DEBIAN_FRONTEND=noninteractive
  ${SUDO} apt-get update -qq
  ${SUDO} apt-get install -y -qq chromium >/dev/null
  have_chromium || { echo "tools/test.sh: chromium install failed" >&2; exit 1; }
fi

export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}" SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
export DJL_OFFLINE=true
exec mvn -B -ntp verify "$@"
