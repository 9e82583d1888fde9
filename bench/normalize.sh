#!/usr/bin/env bash
# Titles per second through the worker's title normaliser (TitleNormalizer) on one thread, over the normaliser's
# title table (or the file given as $1: one title per line, the first tab-separated field counts), after the JIT has
# compiled it. No database, no network.
set -euo pipefail
cd "$(dirname "$0")/.."
# Always (re)build: measuring stale classes would measure old code. Incremental, so cheap when nothing changed.
. bench/lib.sh
bench_build
exec java -Xmx1g -cp "$(bench_classpath services/worker)" dev.gputracker.worker.bench.NormalizeBench "$@"
