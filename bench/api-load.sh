#!/usr/bin/env bash
# API throughput next to PostgreSQL's own: seeds 200,000 listings into a fresh embedded PostgreSQL, starts the API
# jar with the image's JVM flags (services/api/jvm.options), drives GET /api/listings (random GPU and price ceiling) and GET /api/gpus with wrk for 30 s at 32
# connections, then replays the SQL the API issues with pgbench (prepared, same concurrency) as the ceiling.
# Goal: the API serves at least 70 % of pgbench's rate for the same query, p99 under 25 ms, at most 160 MB resident
# at its peak (api_rss_mb: VmHWM).
# Needs wrk and pgbench (Debian: apt-get install wrk postgresql-client).
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in wrk pgbench; do
  command -v "$tool" >/dev/null || { echo "$tool is missing (Debian: apt-get install wrk postgresql-client)" >&2; exit 1; }
done
. bench/lib.sh
bench_build
exec java -Xmx2g -cp "$(bench_classpath services/api)" \
  dev.gputracker.api.bench.ApiLoadBench services/api/target/gpu-tracker-api.jar
