#!/usr/bin/env bash
# Runs every test suite. Installs what the tests need, and starts and stops Azurite itself.
set -euo pipefail
cd "$(dirname "$0")"

npm ci --no-audit --no-fund --loglevel=error
source scripts/azurite.sh
trap stop_azurite EXIT
start_azurite

results=$(mktemp -d)
status=0
dotnet build Playbooks.Functions.sln -nologo -v quiet
dotnet test Playbooks.Functions.sln --no-build -nologo --logger "trx" --results-directory "$results" || status=$?

if [ -x infra/check.sh ]; then
  infra/check.sh || status=$?
fi

smoke_failed=0
bash tests/smoke/run-sh.test.sh || { smoke_failed=1; status=1; }

# One closing line over all .NET suites.
passed=0; failed=0
for trx in "$results"/*.trx; do
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  p=$(sed -E 's/.* passed="([0-9]+)".*/\1/' <<<"$counters"); f=$(sed -E 's/.* failed="([0-9]+)".*/\1/' <<<"$counters")
  passed=$((passed + p)); failed=$((failed + f))
done
passed=$((passed + 1 - smoke_failed)); failed=$((failed + smoke_failed))
echo
echo "${passed} passed, ${failed} failed"
exit $status
