#!/usr/bin/env bash
# Claims per second: one Gateway with its co-hosted silo on SQLite (Release, fresh file), 50 clients on loopback.
# Usage: Benchmarks/claims.sh [--clients 50] [--claims 5000] [--tours 50]
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build -c Release Benchmarks -v q -nologo >/dev/null  # builds the Gateway too
dir=$(mktemp -d)
port=5081
# Started from its build folder so Gateway's appsettings.json (logging levels) applies, as with dotnet run.
(cd Gateway/bin/Release/net10.0 && Storage__ConnectionString="Data Source=$dir/bench.db" Urls="http://127.0.0.1:$port" \
  Orleans__SiloPort=11191 Orleans__GatewayPort=30091 exec dotnet Gateway.dll >"$dir/gateway.log" 2>&1) &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.5; done
dotnet Benchmarks/bin/Release/net10.0/Benchmarks.dll claims --url "http://127.0.0.1:$port" "$@"
echo "database: $(du -h "$dir/bench.db" | cut -f1) (+ WAL $(du -h "$dir/bench.db-wal" 2>/dev/null | cut -f1))"
