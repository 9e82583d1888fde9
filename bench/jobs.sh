#!/usr/bin/env bash
# Job queue benchmark: noop jobs/s at 1 and 4 runners, command jobs, and NOTIFY submit-to-start latency.
# Runs against an embedded PostgreSQL in a temp dir. Usage: bench/jobs.sh [noop-jobs]
set -euo pipefail
cd "$(dirname "$0")/.."
# Always (re)build: measuring stale classes would measure old code. Incremental, so cheap when nothing changed.
. bench/lib.sh
bench_build
cp=$(bench_classpath services/worker)
DATA=$(mktemp -d)
trap 'rm -rf "$DATA"' EXIT
java -cp "$cp" dev.gputracker.worker.jobs.bench.JobsBench "$DATA/pg" "${1:-20000}"
