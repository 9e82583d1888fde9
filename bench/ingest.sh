#!/usr/bin/env bash
# Listings upserted per second through the worker's real store path, against a COPY of the same rows into the same
# table (the ceiling). Embedded PostgreSQL in a temporary directory; nothing else needed. Goal: upsert >= 40% of COPY.
set -euo pipefail
cd "$(dirname "$0")/.."
# Always (re)build: measuring stale classes would measure old code. Incremental, so cheap when nothing changed.
. bench/lib.sh
bench_build
exec java -Xmx2g -cp "$(bench_classpath services/worker)" dev.gputracker.worker.bench.IngestBench
