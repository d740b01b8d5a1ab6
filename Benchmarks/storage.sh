#!/usr/bin/env bash
# Grain storage writes per second against raw SQLite on the same file system, in one run (Release build):
#   Benchmarks/storage.sh [--dir /tmp] [--seconds 10] [--writers 50]
# Prints: raw SQLite commits/s (one row per transaction, WAL, synchronous=FULL), then SqliteGrainStorage writes/s with
# that many concurrent writers, with batches of one (a transaction per write) and with group commit.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build -c Release Benchmarks -v q -nologo >/dev/null
exec dotnet Benchmarks/bin/Release/net10.0/Benchmarks.dll commit-rate sqlite "$@"
