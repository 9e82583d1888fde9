#!/usr/bin/env bash
# Job queue benchmark: noop jobs/s at 1 and 4 runners, command jobs, and NOTIFY submit-to-start latency.
# Runs against an embedded PostgreSQL in a temp dir. Usage: bench/jobs.sh [noop-jobs]
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=services/worker/target/gpu-tracker-worker.jar
# Always (re)build: measuring a stale jar would measure old code. Incremental, so cheap when nothing changed.
mvn -B -q -DskipTests package -pl services/worker -am
DATA=$(mktemp -d)
trap 'rm -rf "$DATA"' EXIT
java -cp "$JAR" dev.gputracker.worker.jobs.bench.JobsBench "$DATA/pg" "${1:-20000}"
