#!/usr/bin/env bash
# Claims per second over loopback HTTP, one command per configuration (Release build, fresh store each run):
#   Benchmarks/claims.sh [--clients 50] [--claims 5000] [--tours 50]                     one Gateway co-hosting its silo on SQLite
#   Benchmarks/claims.sh --profile postgres   [--clients 50] [--claims 5000] [--tours 50]  one silo + one client Gateway on PostgreSQL
#   Benchmarks/claims.sh --profile postgres-2 [--clients 50] [--claims 5000] [--tours 50]  two silos + two client Gateways on PostgreSQL
# Each first prints its reference, measured in the same run: on SQLite the raw commit rate of the same file system
# (one row per transaction, WAL, synchronous=FULL) and the storage provider's group-commit rate; the PostgreSQL
# profiles start a private server (initdb, fsync=on, loopback) and print its raw commit rate (one-row INSERT per
# transaction, from 1 and from 50 connections).
set -euo pipefail
cd "$(dirname "$0")/.."
profile=sqlite
if [ "${1:-}" = "--profile" ]; then profile=$2; shift 2; fi
dotnet build -c Release Benchmarks -v q -nologo >/dev/null  # builds the Gateway and the Silo too
dir=$(mktemp -d)
pids=()
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
as_pg=(); [ "$(id -u)" = 0 ] && as_pg=(runuser -u postgres --)
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ -f "$dir/pg/postmaster.pid" ]; then kill -INT "$(head -1 "$dir/pg/postmaster.pid")" 2>/dev/null || true; sleep 2; fi
  rm -rf "$dir"
}
trap cleanup EXIT
wait_ready() { for _ in $(seq 1 240); do curl -sf "$1/readyz" >/dev/null && return 0; sleep 0.5; done; echo "not ready: $1" >&2; tail -20 "$dir"/*.log >&2; exit 1; }

common=(Orleans__ClusterId=bench Holds__SweepPeriod=00:01:00 RateLimits__ToursPerHour=100000 Privacy__KeysFolder="$dir/keys")  # the load creates its tours from one address
case "$profile" in
  sqlite)
    # The reference, on the same file system in the same run: raw SQLite commits/s and the storage provider's writes/s.
    dotnet Benchmarks/bin/Release/net10.0/Benchmarks.dll commit-rate sqlite --dir "$dir" --seconds 5 --writers 50
    # Started from its build folder so Gateway's appsettings.json (logging levels) applies, as with dotnet run.
    (cd Gateway/bin/Release/net10.0 && exec env "${common[@]}" Storage__ConnectionString="Data Source=$dir/bench.db" Urls="http://127.0.0.1:5081" \
      Orleans__SiloPort=11191 Orleans__GatewayPort=30091 dotnet Gateway.dll >"$dir/gateway.log" 2>&1) &
    pids+=($!)
    urls=http://127.0.0.1:5081
    ;;
  postgres|postgres-2)
    scripts=${TOURPLANNER_ORLEANS_SQL:-../shared/vendor/orleans-adonet-postgresql}
    [ -f "$scripts/PostgreSQL-Main.sql" ] || { echo "Orleans's PostgreSQL scripts are not in $scripts (see docs/cluster.md)" >&2; exit 1; }
    mkdir "$dir/pg"; [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir" "$dir/pg"
    "${as_pg[@]}" "$pg_bin/initdb" -D "$dir/pg" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$dir/pg" -l "$dir/pg.log" -w -o "-p 55439 -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c fsync=on -c max_connections=300" start >/dev/null
    psql -q -h 127.0.0.1 -p 55439 -U postgres -c 'CREATE DATABASE bench'
    for f in Main Clustering Persistence Reminders; do
      PGOPTIONS='-c client_min_messages=warning' psql -q -X -v ON_ERROR_STOP=1 -h 127.0.0.1 -p 55439 -U postgres -d bench -f "$scripts/PostgreSQL-$f.sql"
    done
    cs="Host=127.0.0.1;Port=55439;Database=bench;Username=postgres;Maximum Pool Size=200"
    dotnet Benchmarks/bin/Release/net10.0/Benchmarks.dll commit-rate postgres --connection "$cs" --seconds 10 --writers 50
    silos=1; [ "$profile" = postgres-2 ] && silos=2
    urls=""
    for i in $(seq 1 "$silos"); do
      env "${common[@]}" Storage__Provider=postgres Storage__ConnectionString="$cs" Orleans__SiloPort=$((11190 + i)) Orleans__GatewayPort=$((30090 + i)) \
        dotnet Silo/bin/Release/net10.0/Silo.dll >"$dir/silo-$i.log" 2>&1 &
      pids+=($!)
    done
    for i in $(seq 1 "$silos"); do
      (cd Gateway/bin/Release/net10.0 && exec env "${common[@]}" Storage__Provider=postgres Storage__ConnectionString="$cs" Gateway__CoHostSilo=false \
        Urls="http://127.0.0.1:$((5080 + i))" dotnet Gateway.dll >"$dir/gateway-$i.log" 2>&1) &
      pids+=($!)
      urls="${urls:+$urls,}http://127.0.0.1:$((5080 + i))"
    done
    ;;
  *) echo "unknown profile $profile (sqlite, postgres, postgres-2)" >&2; exit 2 ;;
esac
for url in ${urls//,/ }; do wait_ready "$url"; done
dotnet Benchmarks/bin/Release/net10.0/Benchmarks.dll claims --url "$urls" "$@"
[ "$profile" = sqlite ] && echo "database: $(du -h "$dir/bench.db" | cut -f1) (+ WAL $(du -h "$dir/bench.db-wal" 2>/dev/null | cut -f1))"
exit 0
