#!/usr/bin/env bash
# A CI job against iot-jobs: start its own server in the background, wait until that server
# answers, run the tests against it, stop it. Copy this into your pipeline (see
# github-actions.yml beside it).
#
#   examples/ci/run.sh [TEST COMMAND...]      (default: node --test examples/ci/rollout.test.mjs)
#
# IOT_JOBS: how to run iot-jobs (default: npx --no-install iot-jobs; with a global install, iot-jobs).
#
# The server listens on ports the OS picks (--port 0, --mqtt-port 0), so a dev server on 7020 or
# another CI job on the same machine is never the one tested; its addresses come from its own
# "iot-jobs ready" log line. The tests get them as IOT_JOBS_ENDPOINT and IOT_JOBS_MQTT_URL.
set -euo pipefail
# Job control: the server runs in a process group of its own, so that stopping it reaches node
# itself and not only a wrapper such as `npm exec` (what npx runs).
set -m
here="$(cd "$(dirname "$0")" && pwd)"
read -r -a iot_jobs <<< "${IOT_JOBS:-npx --no-install iot-jobs}"
data="$(mktemp -d)"
log="$data/iot-jobs.log"

# A fresh data directory per run; JSON logs to a file, shown if something fails.
"${iot_jobs[@]}" serve --port 0 --mqtt-port 0 --data-dir "$data/db" --log-format json > "$log" 2>&1 &
server=$!
stop() {
  status=$?
  # The whole process group: the wrapper and the server under it. Then wait until it is gone.
  kill -TERM -- "-$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 -- "-$server" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$server" 2>/dev/null || true
  if [ "$status" -ne 0 ]; then echo "--- iot-jobs log"; cat "$log"; fi
  rm -rf "$data"
  exit "$status"
}
trap stop EXIT

# Its ready line says where it listens.
ready=""
for _ in $(seq 1 300); do
  ready="$(grep -m1 '"msg":"iot-jobs ready"' "$log" || true)"
  [ -n "$ready" ] && break
  kill -0 "$server" 2>/dev/null || { echo "iot-jobs did not start"; exit 1; }
  sleep 0.1
done
[ -n "$ready" ] || { echo "iot-jobs did not say it was ready"; exit 1; }
endpoint="$(sed -n 's/.*"http":"\([^"]*\)".*/\1/p' <<< "$ready")"
mqtt_url="$(sed -n 's/.*"mqtt":"\([^"]*\)".*/\1/p' <<< "$ready")"

# Its own server answers: the data file it reports is the one in this run's directory, and the
# address answers /health while that process is alive.
grep -q "\"data\":\"$data/db/" <<< "$ready" || { echo "the ready line is not this run's server: $ready"; exit 1; }
curl -fsS "$endpoint/health" > /dev/null
kill -0 "$server" 2>/dev/null || { echo "iot-jobs exited"; exit 1; }

# What the tests need to reach it: the endpoint and the development credentials.
export IOT_JOBS_ENDPOINT="$endpoint" IOT_JOBS_MQTT_URL="$mqtt_url"
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1

if [ "$#" -eq 0 ]; then set -- node --test "$here/rollout.test.mjs"; fi
# In the foreground, in a group of its own too (set -m); its exit code is the script's.
"$@"
