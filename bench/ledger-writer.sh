#!/usr/bin/env bash
# The ledger writer's throughput: usage rows a second into a real PostgreSQL 17 (embedded, fsync on).
#   bench/ledger-writer.sh [--rows 500000] [--endpoints 20]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -o -q install -pl ledger-embedded,ledger -DskipTests || mvn -B -q install -pl ledger-embedded,ledger -DskipTests
mvn -B -o -q compile dependency:build-classpath -pl bench -Dmdep.outputFile=target/ledger-bench.cp -Dmdep.includeScope=runtime \
  || mvn -B -q compile dependency:build-classpath -pl bench -Dmdep.outputFile=target/ledger-bench.cp -Dmdep.includeScope=runtime
exec java -Xmx1g -Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener \
  -cp "bench/target/classes:$(cat bench/target/ledger-bench.cp)" io.dormouse.bench.ledger.LedgerWriterBench "$@"
