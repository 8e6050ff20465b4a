#!/usr/bin/env bash
# The main job on the embedded SQLite default: explore the flagship scenario S2 (VM close during
# a running VM_BIND job) under the seed patch's design and under the broken close ordering, keep
# every run as a bind journal in gpuvmsim.db, then replay the deadlock's journal to show that it
# reproduces exactly. Pass another journal database as $1 (SQLite file or PostgreSQL URL).
set -euo pipefail
cd "$(dirname "$0")/.."
journal="${1:-gpuvmsim.db}"
scenario=scenarios/s02-vm-close-during-job-run.conf

dotnet build Host -c Release -v quiet -nologo >/dev/null
gpuvmsim() { dotnet Host/bin/Release/net10.0/gpuvmsim.dll "$@"; }

echo "== explore $scenario --design v2 (the seed patch: close waits in drm_sched_stop before op_lock)"
gpuvmsim explore "$scenario" --design v2 --strategy dfs --journal "$journal"

echo
echo "== explore $scenario --design v2-close-op-lock-first (close takes op_lock before drm_sched_stop)"
gpuvmsim explore "$scenario" --design v2-close-op-lock-first --strategy dfs --journal "$journal"

# The newest deadlock journal (runs are listed oldest first; the database outlives earlier runs of this script).
deadlock_journal=$(gpuvmsim journal list --journal "$journal" --scenario s02-vm-close-during-job-run \
  --design v2-close-op-lock-first --finding deadlock --json | grep -o 'r-[0-9a-f]\{16\}' | tail -n 1)
[ -n "$deadlock_journal" ] || { echo "run.sh: the exploration stored no deadlock journal in $journal" >&2; exit 1; }
echo
echo "== replay $deadlock_journal --journal $journal (the deadlock, rebuilt from its bind journal)"
gpuvmsim replay "$deadlock_journal" --journal "$journal"
