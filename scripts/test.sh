#!/usr/bin/env bash
# Sets up everything the tests need on a fresh machine (PostgreSQL) and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/postgres.sh
dotnet test Actors.sln -c Release --logger "console;verbosity=minimal" "$@"
