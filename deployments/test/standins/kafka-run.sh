#!/bin/sh
# apache/kafka's entrypoint contract, for the stand-in: KAFKA_* variables become server.properties (prefix dropped,
# lower case, _ -> ., __ -> _, ___ -> -), CLUSTER_ID formats the log directories once, then the broker runs.
set -eu
props=/opt/kafka/config/server.properties
: > "$props"
env | grep '^KAFKA_' | while IFS='=' read -r key value; do
  case "$key" in
    KAFKA_HEAP_OPTS|KAFKA_OPTS|KAFKA_JVM_PERFORMANCE_OPTS|KAFKA_LOG4J_OPTS) continue ;;
  esac
  name=$(printf '%s' "${key#KAFKA_}" | tr 'A-Z' 'a-z' | sed -e 's/___/-/g' -e 's/__/@/g' -e 's/_/./g' -e 's/@/_/g')
  printf '%s=%s\n' "$name" "$value" >> "$props"
done
cp="/opt/kafka/libs/*"
log4j="-Dlog4j2.configurationFile=/opt/kafka/config/log4j2.properties"
java $log4j -cp "$cp" kafka.tools.StorageTool format --ignore-formatted -t "${CLUSTER_ID:?CLUSTER_ID is required}" \
  -c "$props" > /dev/null
exec java ${KAFKA_HEAP_OPTS:--Xmx512m} $log4j -cp "$cp" kafka.Kafka "$props"
