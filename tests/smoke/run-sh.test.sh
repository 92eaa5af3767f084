#!/usr/bin/env bash
# ./run.sh from start to stop: health answers 200, the web app is served, and no Azurite is left behind,
# both on Ctrl-C (SIGINT to the whole process group, as a terminal sends it) and on SIGTERM to the server alone.
set -uo pipefail
# Job control gives run.sh its own process group with SIGINT not ignored, as in a terminal.
set -m
cd "$(dirname "$0")/../.."

run_and_stop() {
  local how=$1 ports url log pid healthy=""
  mapfile -t ports < <(scripts/free-ports.sh 4)
  url="http://127.0.0.1:${ports[3]}"
  log=$(mktemp)
  fail() { echo "run.sh smoke test ($how) FAILED: $*"; tail -n 30 "$log"; kill -KILL -- "-$pid" 2>/dev/null; pkill -f "azurite.js.*--tablePort ${ports[2]}"; return 1; }

  ASPNETCORE_URLS="$url" DevServer__AzuriteBlobPort="${ports[0]}" DevServer__AzuriteQueuePort="${ports[1]}" \
    DevServer__AzuriteTablePort="${ports[2]}" ./run.sh >"$log" 2>&1 &
  pid=$!

  for _ in $(seq 1 240); do
    if [ "$(curl -s -o /dev/null -w '%{http_code}' "$url/api/health")" = "200" ]; then healthy=yes; break; fi
    kill -0 "$pid" 2>/dev/null || { fail "run.sh exited early"; return 1; }
    sleep 0.5
  done
  [ -n "$healthy" ] || { fail "/api/health did not answer 200"; return 1; }
  curl -sf "$url/" | grep -q "Playbooks Calling" || { fail "the web app was not served at /"; return 1; }
  pgrep -f "azurite.js.*--tablePort ${ports[2]}" >/dev/null || { fail "no Azurite process was started"; return 1; }

  if [ "$how" = "ctrl-c" ]; then kill -INT -- "-$pid"; else kill -TERM "$pid"; fi
  for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && { fail "run.sh did not stop"; return 1; }
  sleep 0.5
  pgrep -f "azurite.js.*--tablePort ${ports[2]}" >/dev/null && { fail "Azurite was left running"; return 1; }
  echo "run.sh smoke test ($how) passed: health 200, web app served, Azurite stopped"
}

run_and_stop ctrl-c && run_and_stop sigterm
