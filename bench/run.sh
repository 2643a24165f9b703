#!/usr/bin/env bash
# The Dormouse benchmark: gateway vs direct vs nginx, the wake path and operator scale.
#   bench/run.sh            quick run (a few minutes)
#   bench/run.sh --full     full run (repeats and longer windows; what docs/benchmarks.md shows)
#   bench/run.sh --no-build use the jars already built and installed
#   bench/run.sh --ledger   the gateway with the ledger on and off, paired, repeat by repeat (the
#                           matrix only: throughput ratio and CPU per request added, in the notes)
# Any other option goes to the benchmark (see: bench/run.sh --help).
# Results: bench/target/results.json and bench/target/results.md; logs in bench/target/bench-logs.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=quick
build=yes
ledger=no
out=(--out bench/target)
pass=()
for arg in "$@"; do
  case "$arg" in
    --quick) mode=quick ;;
    --full) mode=full ;;
    --no-build) build=no ;;
    --ledger) ledger=yes; pass+=(--targets GATEWAY,GATEWAY_LEDGER --skip-wake --skip-operator --skip-cluster) ;;
    --out|--out=*) out=(); pass+=("$arg") ;;
    *) pass+=("$arg") ;;
  esac
done

mvn_either() {
  # Offline when everything is already resolved; online otherwise.
  mvn -B -o -q "$@" || mvn -B -q "$@"
}

if [[ $build == yes ]]; then
  echo "bench: building crds, engine-sim, operator, gateway, sim and bench" >&2
  mvn_either install -pl crds,crd-validation,engine-sim,ledger,ledger-embedded,operator,gateway,cli,sim -DskipTests
  mvn_either compile -pl bench
fi
# A private copy of the jars: a build elsewhere that reinstalls a jar in ~/.m2 mid-run cannot
# pull it from under the running processes.
rm -rf bench/target/bench-lib
mvn_either dependency:copy-dependencies -pl bench -DincludeScope=runtime -DoutputDirectory=target/bench-lib

if [[ $ledger == no ]] && ! command -v nginx >/dev/null && [[ ! -x /usr/sbin/nginx ]]; then
  echo "bench: installing nginx (Debian package)" >&2
  sudo_cmd=""
  [[ $(id -u) -ne 0 ]] && sudo_cmd="sudo"
  $sudo_cmd apt-get install -y nginx >/dev/null 2>&1 ||
    { $sudo_cmd apt-get update >/dev/null && $sudo_cmd apt-get install -y nginx >/dev/null; }
fi

exec java -Xmx2g -Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener -cp "bench/target/classes:bench/target/bench-lib/*" \
  io.dormouse.bench.BenchMain --mode "$mode" "${out[@]+"${out[@]}"}" "${pass[@]+"${pass[@]}"}"
