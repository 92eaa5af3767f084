#!/usr/bin/env bash
# The browser tests: the web app in Debian's Chromium (playwright-core) against the dev server in simulated mode.
# Usage: tests/browser/run.sh <counts-file> [test-file ...]   writes "PASSED FAILED" into it; exits non-zero on any failure.
# With test files (names under tests/browser/tests, e.g. dayOne.test.mjs) only those run; by default all of them.
# Installs Chromium when missing, builds what is missing, starts the dev server on a free port and stops it on exit.
# Storage: $PLAYBOOKS_TEST_STORAGE when set (test.sh's Azurite), else the dev server starts its own Azurite.
set -uo pipefail
counts=${1:?usage: tests/browser/run.sh <counts-file>}
counts=$(realpath -m "$counts")
shift
selected=("$@")
[ ${#selected[@]} -gt 0 ] || selected=("")   # "" becomes tests/, the whole folder
cd "$(dirname "$0")/../.."
root=$PWD

server_pid=""
log=$(mktemp)
tap=$(mktemp)
write_counts() { echo "$1 $2" >"$counts"; }
write_counts 0 1   # until the tests have run, the suite counts as failed

stop_server() {
  [ -n "$server_pid" ] || return 0
  # SIGTERM lets the dev server stop the Azurite it started; whatever is left of its process group goes after.
  kill -TERM "$server_pid" 2>/dev/null
  for _ in $(seq 1 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$server_pid" 2>/dev/null
  wait "$server_pid" 2>/dev/null
  server_pid=""
}
cleanup() { stop_server; rm -f "$log" "$tap"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

fail_setup() { echo "Browser tests could not start: $*" >&2; [ -s "$log" ] && tail -n 40 "$log" >&2; exit 1; }

command -v chromium >/dev/null || { apt-get update && apt-get install -y chromium; } || fail_setup "installing chromium failed"
export CHROMIUM_PATH=${CHROMIUM_PATH:-$(command -v chromium)}

npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error || fail_setup "npm ci in tests/browser failed"
# Build the web app when it is missing or older than its sources, so the tests never drive a stale build.
if [ ! -f static-ui/dist/index.html ] || [ -n "$(find static-ui/src static-ui/public static-ui/index.html static-ui/package-lock.json -newer static-ui/dist/index.html -print -quit)" ]; then
  [ -d static-ui/node_modules ] || npm ci --prefix static-ui --no-audit --no-fund --loglevel=error || fail_setup "npm ci in static-ui failed"
  npm run --prefix static-ui build || fail_setup "the web app did not build"
fi

dll=functions/Playbooks.DevServer/bin/Debug/net10.0/Playbooks.DevServer.dll
if [ ! -f "$dll" ] || [ -n "$(find functions -path '*/obj' -prune -o -path '*/bin' -prune -o \( -name '*.cs' -o -name '*.csproj' -o -name '*.json' \) -newer "$dll" -print -quit)" ]; then
  dotnet build functions/Playbooks.DevServer -c Debug -nologo -v quiet || fail_setup "the dev server did not build"
fi

mapfile -t ports < <(scripts/free-ports.sh 4)
url="http://127.0.0.1:${ports[0]}"
storage=()
if [ -n "${PLAYBOOKS_TEST_STORAGE:-}" ]; then
  storage=("Storage__ConnectionString=$PLAYBOOKS_TEST_STORAGE")
else
  [ -d node_modules/azurite ] || npm ci --no-audit --no-fund --loglevel=error || fail_setup "npm ci (Azurite) failed"
  storage=("DevServer__AzuriteBlobPort=${ports[1]}" "DevServer__AzuriteQueuePort=${ports[2]}" "DevServer__AzuriteTablePort=${ports[3]}")
fi

# Simulated phones ring 8 simulated seconds at a quarter of real time: 2 s, long enough to see "Ringing".
(
  cd functions/Playbooks.DevServer
  exec env ASPNETCORE_ENVIRONMENT=Development ASPNETCORE_URLS="$url" \
    Twilio__PublicBaseUrl="$url" Twilio__RestApiBaseUrl="$url/sim" DevServer__RepoRoot="$root" \
    Simulator__TimeScale=0.25 Simulator__RingSeconds=8 "${storage[@]}" \
    setsid dotnet bin/Debug/net10.0/Playbooks.DevServer.dll
) >"$log" 2>&1 &
server_pid=$!

healthy=""
for _ in $(seq 1 240); do
  if [ "$(curl -s -o /dev/null -w '%{http_code}' "$url/api/health")" = "200" ]; then healthy=yes; break; fi
  kill -0 "$server_pid" 2>/dev/null || fail_setup "the dev server exited"
  sleep 0.5
done
[ -n "$healthy" ] || fail_setup "$url/api/health did not answer 200 within 2 minutes"

echo "Browser tests against $url (Chromium: $("$CHROMIUM_PATH" --version 2>/dev/null | tail -n 1))"
(
  cd tests/browser
  PLAYBOOKS_BASE_URL="$url" node --test --test-concurrency=1 \
    --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$tap" "${selected[@]/#/tests/}"
)
status=$?

passed=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$tap" | tail -n 1)
failed=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$tap" | tail -n 1)
cancelled=$(sed -n 's/^# cancelled \([0-9]*\)$/\1/p' "$tap" | tail -n 1)
passed=${passed:-0}
failed=$(( ${failed:-0} + ${cancelled:-0} ))
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
write_counts "$passed" "$failed"
echo "browser tests: ${passed} passed, ${failed} failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
