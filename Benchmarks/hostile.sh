#!/usr/bin/env bash
# What hostile inputs cost: a fresh Gateway (Release, in-memory storage, default limits) per case, so each peak working
# set is that case's alone; venue calendars on loopback are allowed for the hostile server this benchmark runs.
# Usage: Benchmarks/hostile.sh [case ...]   (default: all cases, references first; `memory` runs the attacker-chosen
# keys case: many Host values and random ids, with the resident set after each phase)
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build -c Release Benchmarks -v q -nologo >/dev/null  # builds the Gateway too
cases=("$@")
[ ${#cases[@]} -gt 0 ] || cases=(venue-reference recurrence-bomb tarpit endless-body huge-body slow-drip dense-events nesting-bomb plan-reference plan-capped)
port=5082
for name in "${cases[@]}"; do
  dir=$(mktemp -d)
  (cd Gateway/bin/Release/net10.0 && Storage__Provider=memory Venues__AllowPrivateAddresses=true Urls="http://127.0.0.1:$port" \
    Orleans__SiloPort=11192 Orleans__GatewayPort=30092 exec dotnet Gateway.dll >"$dir/gateway.log" 2>&1) &
  pid=$!
  for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.5; done
  if [ "$name" = memory ]; then
    dotnet Benchmarks/bin/Release/net10.0/Benchmarks.dll memory-keys --url "http://127.0.0.1:$port" --pid "$pid" ${MEMORY_ARGS:-} || true
  else
    dotnet Benchmarks/bin/Release/net10.0/Benchmarks.dll hostile --url "http://127.0.0.1:$port" --pid "$pid" "$name" || true
  fi
  kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true
  rm -rf "$dir"
done
