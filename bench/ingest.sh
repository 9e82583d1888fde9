#!/usr/bin/env bash
# Listings upserted per second through the worker's real store path, against a COPY of the same rows into the same
# table (the ceiling). Embedded PostgreSQL in a temporary directory; nothing else needed. Goal: upsert >= 40% of COPY.
set -euo pipefail
cd "$(dirname "$0")/.."
jar=services/worker/target/gpu-tracker-worker.jar
# Always (re)build: measuring a stale jar would measure old code. Incremental, so cheap when nothing changed.
mvn -B -q -DskipTests package -pl services/worker -am
exec java -Xmx2g -cp "$jar" dev.gputracker.worker.bench.IngestBench
