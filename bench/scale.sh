#!/usr/bin/env bash
# Ten times the market: seeds 200,000 listings (ten price points each over a year, 2.5 rejected listings each) into a
# fresh embedded PostgreSQL in SQL, measures every read route of the API with wrk at 32 connections, grows the
# market in place to 2,000,000 listings (20,000,000 price points, 5,000,000 rejected) and measures again; then the
# market summary's refresh and one scrape run's page writes and removal step (twice: the second is the steady state)
# on a source of 200,000 active listings.
# Goals at 2,000,000 listings: every route's p99 under 50 ms, the market summary refreshed in under 100 ms, no
# route's p99 more than 1.5 times its p99 at 200,000.
# SCALE_SECONDS sets the seconds per route (see bench/README.md for why the default is not 30); SCALE_SMALL and
# SCALE_LARGE the two sizes. Needs wrk (Debian: apt-get install wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is missing (Debian: apt-get install wrk)" >&2; exit 1; }
. bench/lib.sh
bench_build
exec java -Xmx2g -Dbench.seconds="${SCALE_SECONDS:-10}" -Dbench.explain="${SCALE_EXPLAIN:-false}" -Dbench.small="${SCALE_SMALL:-200000}" \
  -Dbench.large="${SCALE_LARGE:-2000000}" \
  -cp "$(bench_classpath services/api):$(bench_classpath services/worker)" \
  dev.gputracker.api.bench.ScaleBench services/api/target/gpu-tracker-api.jar
