#!/usr/bin/env bash
# A CI job against iot-jobs: start it in the background, wait until it answers, run the tests,
# stop it. Copy this into your pipeline (see github-actions.yml beside it).
#
#   examples/ci/run.sh [TEST COMMAND...]      (default: node --test examples/ci/rollout.test.mjs)
#
# IOT_JOBS: how to run iot-jobs (default: npx --no-install iot-jobs; with a global install, iot-jobs).
# IOT_JOBS_PORT / IOT_JOBS_MQTT_PORT: the ports (default 7020 / 7021); iot-jobs reads them itself.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
read -r -a iot_jobs <<< "${IOT_JOBS:-npx --no-install iot-jobs}"
port="${IOT_JOBS_PORT:-7020}"
data="$(mktemp -d)"

# A fresh data directory per run; JSON logs to a file, shown if something fails.
"${iot_jobs[@]}" serve --data-dir "$data" --log-format json > "$data/iot-jobs.log" 2>&1 &
server=$!
stop() {
  status=$?
  kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
  if [ "$status" -ne 0 ]; then echo "--- iot-jobs log"; cat "$data/iot-jobs.log"; fi
  rm -rf "$data"
}
trap stop EXIT

for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$port/health" > /dev/null 2>&1 && break
  kill -0 "$server" 2>/dev/null || { echo "iot-jobs did not start"; exit 1; }
  sleep 0.2
done
curl -fsS "http://127.0.0.1:$port/health" > /dev/null

# What the tests need to reach it: the endpoint and the development credentials.
export IOT_JOBS_ENDPOINT="http://127.0.0.1:$port"
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1

if [ "$#" -eq 0 ]; then set -- node --test "$here/rollout.test.mjs"; fi
"$@"
