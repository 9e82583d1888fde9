#!/usr/bin/env bash
# Titles per second through the worker's title normaliser (TitleNormalizer) on one thread, over the normaliser's
# title table (or the file given as $1: one title per line, the first tab-separated field counts), after the JIT has
# compiled it. No database, no network.
set -euo pipefail
cd "$(dirname "$0")/.."
jar=services/worker/target/gpu-tracker-worker.jar
# Always (re)build: measuring a stale jar would measure old code. Incremental, so cheap when nothing changed.
mvn -B -q -DskipTests package -pl services/worker -am
exec java -Xmx1g -cp "$jar" dev.gputracker.worker.bench.NormalizeBench "$@"
