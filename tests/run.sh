#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine: installs what the tests need when it is
# missing, restores, builds, runs every test assembly, and ends with one line
# "N passed, N failed" summed over all assemblies. Extra arguments go to `dotnet test`
# (e.g. --filter "TestCategory!=E2E").
set -uo pipefail
cd "$(dirname "$0")/.."

# System packages the tests need; installed with apt when missing.
need_apt=()
# The official Python client, for the end-to-end test that drives the server with it.
/usr/bin/python3 -c "import kubernetes" >/dev/null 2>&1 || need_apt+=(python3-kubernetes)
# The etcd backend's tests start real etcd members ([Category("Etcd")]).
[ -x /usr/bin/etcd ] || need_apt+=(etcd-server)
if [ ${#need_apt[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    echo "error: missing ${need_apt[*]} and cannot install them" >&2
    exit 1
  fi
fi
command -v kubectl >/dev/null 2>&1 || echo "warning: kubectl is not on PATH; the E2E tests will fail" >&2

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
log=$(mktemp)
dotnet test Apiserver.sln -c Release "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# Each assembly prints: "Passed!  - Failed:     0, Passed:    39, Skipped:     0, Total:    39, ..."
read -r passed failed < <(grep -E '^(Passed|Failed)!' "$log" | sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+).*/\2 \1/' \
  | awk '{p+=$1; f+=$2} END {print p+0, f+0}')
assemblies=$(grep -cE '^(Passed|Failed)!' "$log")
rm -f "$log"
if [ "$assemblies" -eq 0 ] && [ "$status" -ne 0 ]; then
  failed=$((failed + 1)) # The build or the run failed before any assembly reported.
fi
echo "$passed passed, $failed failed"
exit "$status"
