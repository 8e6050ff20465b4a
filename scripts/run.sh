#!/usr/bin/env bash
# Builds gpuvmsim and runs the main job on the embedded SQLite default.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build Host -c Release -v quiet -nologo >/dev/null
dotnet Host/bin/Release/net10.0/gpuvmsim.dll version
