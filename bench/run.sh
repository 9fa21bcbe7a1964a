#!/usr/bin/env bash
# Benchmarks of key verification, exchange and assume-role side by side with Keycloak's own endpoints.
#
#   bench/run.sh                 full run: build, JMH micro-benchmarks, then the load benchmark against the
#                                real Keycloak 26.7.3 distribution with our providers (≈ 1 h on 2 cores). Phases
#                                (--phases main,scale,org,sql,postgres): main = the scenarios side by side;
#                                scale = 100,000 keys in 1,000 organizations; org = up to 10,000 keys in ONE
#                                organization (creation rate per block of 1,000, AKI idle and under 5 writes/s,
#                                bounded by --org-budget seconds); sql = SQL/cache activity of warm runs;
#                                postgres = the main scenarios again on a throw-away PostgreSQL (installed
#                                binaries, loopback). Writes bench/target/results/ and docs/bench-ratios.png
#   bench/run.sh --smoke         every phase, a few seconds per scenario and a few keys (CI: ≈ 3 min after `mvn verify`)
#   bench/run.sh --keys 10000    fewer keys (100 per organization); other options: --rounds N --seconds N
#                                --warmup N --connections N --orgs N --scale-rounds N --setup-parallel N
#                                --jfr (per-scenario JFR recordings in bench/target/results/jfr/)
#                                --scenarios AKI,AKG (diagnostic: only these main-phase scenarios)
#   bench/run.sh --skip-build    reuse the last build;  --skip-jmh  no micro-benchmarks
#
# Needs only JDK 17 and Maven (the distribution comes from Maven Central); traffic only to 127.0.0.1.
# Keycloak is started by the integration tests' harness (DistributionKeycloak) in bench/target/keycloak-server.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

build=1 jmh=1 smoke=0 args=()
for arg in "$@"; do
  case "$arg" in
    --skip-build) build=0 ;;
    --skip-jmh) jmh=0 ;;
    --smoke) smoke=1; args+=("$arg") ;;
    *) args+=("$arg") ;;
  esac
done

results=bench/target/results
if (( build )); then
  echo "[bench] building: mvn -q -B -DskipTests -Pbench package"
  mvn -q -B -DskipTests -Pbench package
fi
mkdir -p "$results"
version="$(sed -n 's:.*<keycloak.version>\(.*\)</keycloak.version>.*:\1:p' pom.xml | head -n 1)"
# The same `kc.sh build` options as the integration tests, plus metrics (cache statistics for the report).
test_build_options="$(sed -n 's:.*<keycloak.build.options>\(.*\)</keycloak.build.options>.*:\1:p' integration-tests/pom.xml | head -n 1)"

if (( jmh )); then
  jmh_opts=()
  (( smoke )) && jmh_opts=(-f 0 -wi 1 -w 500ms -i 1 -r 500ms)
  echo "[bench] JMH: ApiKeyToken.parse, SecretHash.matches, ParsedRecordCache, guard rails (allow-list, rate limit)"
  java -cp "bench/jmh/target/classes:bench/jmh/target/lib/*" org.openjdk.jmh.Main "${jmh_opts[@]}" \
    -rf json -rff "$results/jmh.json" "KeyVerificationBenchmark|GuardRailsBenchmark" | tee "$results/jmh.txt" | grep -E '^(Benchmark|KeyVerification|GuardRails)' || true
  grep -q '^KeyVerificationBenchmark.parseAndMatch' "$results/jmh.txt" || { echo "[bench] JMH failed (see $results/jmh.txt)"; exit 1; }
fi

docs=()
(( smoke )) || docs=(--docs-chart docs/bench-ratios.png)
command="bench/run.sh${*:+ $*}"
# Keycloak's own default heap outside containers is -Xmx512m: creating 100,000 keys through REST runs it
# out of memory (the embedded H2 keeps every CLOB it read referenced for 5 minutes; see BENCHMARKS.md).
export JAVA_OPTS_KC_HEAP="${JAVA_OPTS_KC_HEAP:--Xms64m -Xmx2g}"
exec java -Xmx2g -cp "bench/target/classes:bench/target/lib/*" \
  -Dwork.dir="$root/bench/target" \
  -Dkeycloak.dist.dir="$root/bench/target/keycloak-$version" \
  -Dkeycloak.version="$version" \
  -Dproviders.dir="$root/target/providers" \
  -Drepo.root="$root" \
  -Dkeycloak.build.options="$test_build_options --metrics-enabled=true" \
  ai.intellia.keycloak.bench.LoadBench --out "$results" --command "$command" "${docs[@]}" "${args[@]}"
