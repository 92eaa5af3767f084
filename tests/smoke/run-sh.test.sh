#!/usr/bin/env bash
# ./run.sh from start to Ctrl-C: health answers 200, the web app is served, and no Azurite is left behind.
set -uo pipefail
cd "$(dirname "$0")/../.."

mapfile -t ports < <(scripts/free-ports.sh 4)
url="http://127.0.0.1:${ports[3]}"
log=$(mktemp)
fail() { echo "run.sh smoke test FAILED: $*"; tail -n 30 "$log"; exit 1; }

ASPNETCORE_URLS="$url" DevServer__AzuriteBlobPort="${ports[0]}" DevServer__AzuriteQueuePort="${ports[1]}" \
  DevServer__AzuriteTablePort="${ports[2]}" setsid ./run.sh >"$log" 2>&1 &
pid=$!

healthy=""
for _ in $(seq 1 240); do
  if [ "$(curl -s -o /dev/null -w '%{http_code}' "$url/api/health")" = "200" ]; then healthy=yes; break; fi
  kill -0 "$pid" 2>/dev/null || fail "run.sh exited early"
  sleep 0.5
done
[ -n "$healthy" ] || { kill -INT "$pid"; fail "/api/health did not answer 200"; }
curl -sf "$url/" | grep -q "Playbooks Calling" || { kill -INT "$pid"; fail "the web app was not served at /"; }
pgrep -f "azurite.js.*--tablePort ${ports[2]}" >/dev/null || { kill -INT "$pid"; fail "no Azurite process was started"; }

kill -INT "$pid"
for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$pid" 2>/dev/null && fail "run.sh did not stop on Ctrl-C"
sleep 0.5
if pgrep -f "azurite.js.*--tablePort ${ports[2]}" >/dev/null; then
  pkill -f "azurite.js.*--tablePort ${ports[2]}"
  fail "Azurite was left running after Ctrl-C"
fi
echo "run.sh smoke test passed: health 200, web app served, Azurite stopped on Ctrl-C"
