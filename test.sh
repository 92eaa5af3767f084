#!/usr/bin/env bash
# Runs every test suite. Installs what the tests need, and starts and stops Azurite itself.
set -euo pipefail
cd "$(dirname "$0")"

npm ci --no-audit --no-fund --loglevel=error
npm ci --prefix static-ui --no-audit --no-fund --loglevel=error
source scripts/azurite.sh
# The dev-server tests get an Azurite of their own: their dev servers' background loops (CRM sync, open-call sweep)
# act on every org in storage, and would otherwise race the other suites' tests of those same loops.
start_azurite
DEVSERVER_AZURITE_PID=$AZURITE_PID
DEVSERVER_STORAGE=$PLAYBOOKS_TEST_STORAGE
trap 'stop_azurite; kill "$DEVSERVER_AZURITE_PID" 2>/dev/null || true' EXIT
start_azurite

results=$(mktemp -d)
status=0
passed=0
failed=0
# A suite that is one script counts as one test.
script_suite() {
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); status=1; fi
}

echo "== .NET: unit, Azurite integration and dev-server tests"
dotnet build Playbooks.Functions.sln -nologo -v quiet
PLAYBOOKS_TEST_STORAGE=$DEVSERVER_STORAGE dotnet test tests/Playbooks.DevServer.Tests --no-build -nologo --logger "trx" \
  --results-directory "$results" >"$results/devserver.log" 2>&1 &
devserver_tests=$!
for project in tests/Playbooks.Calling.Tests tests/Playbooks.Functions.Tests tests/Playbooks.Infra.Tests; do
  dotnet test "$project" --no-build -nologo --logger "trx" --results-directory "$results" || status=$?
done
wait "$devserver_tests" || status=$?
cat "$results/devserver.log"
for trx in "$results"/*.trx; do
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  passed=$((passed + $(sed -E 's/.* passed="([0-9]+)".*/\1/' <<<"$counters")))
  failed=$((failed + $(sed -E 's/.* failed="([0-9]+)".*/\1/' <<<"$counters")))
done

echo "== Web app: unit tests, build and size budget"
(cd static-ui && npx vitest run --reporter=default --reporter=json --outputFile="$results/vitest.json") || status=1
if [ -f "$results/vitest.json" ]; then
  read -r p f < <(node -e 'const r=require(process.argv[1]); console.log(r.numPassedTests, r.numFailedTests)' "$results/vitest.json")
  passed=$((passed + p)); failed=$((failed + f))
fi
script_suite npm run --prefix static-ui --silent build
script_suite npm run --prefix static-ui --silent size

echo "== Browser tests: the web app in Chromium against the dev server (simulated telephony)"
if [ -x tests/browser/run.sh ]; then
  tests/browser/run.sh "$results/browser-counts" || status=1
  if [ -f "$results/browser-counts" ]; then
    read -r p f <"$results/browser-counts"
    passed=$((passed + p)); failed=$((failed + f))
  else
    failed=$((failed + 1))
  fi
fi

echo "== Infrastructure: bicep build, lint and the committed azuredeploy.json"
script_suite infra/check.sh

echo "== ./run.sh from start to Ctrl-C"
script_suite bash tests/smoke/run-sh.test.sh

echo
echo "${passed} passed, ${failed} failed"
exit $status
