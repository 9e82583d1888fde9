#!/usr/bin/env bash
# Pages per second through the worker's real fetch -> parse -> normalise -> store path: 500 copies of the saved
# Amazon results page (about 700 KB each) served locally, embedded PostgreSQL. Goal: at least 100 pages/s here.
# Needs the saved page: ../shared/fixtures/amazon/listings_COM_1.html beside the checkout, or its path as $1.
set -euo pipefail
cd "$(dirname "$0")/.."
page="${1:-../shared/fixtures/amazon/listings_COM_1.html}"
. bench/lib.sh
bench_build
exec java -Xmx3g -cp "$(bench_classpath services/worker)" dev.gputracker.worker.bench.ScrapeBench "$page"
