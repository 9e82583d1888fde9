#!/usr/bin/env bash
# Events: outbox-to-Kafka relay throughput next to Kafka's own ProducerPerformance (same record size, same producer
# settings, same broker: a real KRaft broker in the JVM, embedded PostgreSQL), then the commit-to-SSE latency of the
# API's live stream. Goals: relay at least 50 % of the producer ceiling; commit-to-SSE p50 under 50 ms.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
bench_build
worker_cp=$(bench_classpath services/worker)
api_cp=$(bench_classpath services/api)
log=$(mktemp)
java -Xmx2g -cp "$worker_cp" dev.gputracker.worker.bench.EventsBench > "$log" 2>&1 || { tail -40 "$log"; exit 1; }
grep -E '^(relay|ProducerPerformance)' "$log"
relay=$(grep '^RELAY ' "$log")
java -Xmx1g -cp "$api_cp" dev.gputracker.api.bench.SseLatencyBench > "$log" 2>&1 || { tail -40 "$log"; exit 1; }
grep -E '^commit-to-SSE' "$log"
sse=$(grep '^SSE ' "$log")
rm -f "$log"
relay_rate=$(sed -E 's/.*relay_events_per_s=([0-9.]+).*/\1/' <<<"$relay")
ceiling=$(sed -E 's/.*producer_records_per_s=([0-9.]+).*/\1/' <<<"$relay")
p50=$(sed -E 's/.*sse_p50_ms=([0-9.]+).*/\1/' <<<"$sse")
ratio=$(awk -v a="$relay_rate" -v b="$ceiling" 'BEGIN { printf "%.2f", a / b }')
echo "RESULT relay_events_per_s=$relay_rate producer_records_per_s=$ceiling relay_vs_producer_ratio=$ratio sse_p50_ms=$p50"
