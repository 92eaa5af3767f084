#!/usr/bin/env bash
# ./run.sh from start to stop: health answers 200, the web app is served, and no Azurite is left behind,
# on Ctrl-C (SIGINT to the whole process group, as a terminal sends it), on SIGTERM to the server alone, and on
# SIGINT to a server started in the background by a shell without job control (which starts it with SIGINT ignored).
set -uo pipefail
cd "$(dirname "$0")/../.."

run_and_stop() {
  local how=$1 ports url log pid healthy=""
  mapfile -t ports < <(scripts/free-ports.sh 4)
  url="http://127.0.0.1:${ports[3]}"
  log=$(mktemp)
  fail() { echo "run.sh smoke test ($how) FAILED: $*"; tail -n 30 "$log"; kill -KILL -- "-$pid" 2>/dev/null; pkill -f "azurite.js.*--tablePort ${ports[2]}"; return 1; }

  # Job control gives run.sh its own process group with SIGINT not ignored, as in a terminal; without it, as in CI
  # or a script, the background run.sh inherits SIGINT ignored.
  if [ "$how" = "background-sigint" ]; then set +m; else set -m; fi
  ASPNETCORE_URLS="$url" DevServer__AzuriteBlobPort="${ports[0]}" DevServer__AzuriteQueuePort="${ports[1]}" \
    DevServer__AzuriteTablePort="${ports[2]}" ./run.sh >"$log" 2>&1 &
  pid=$!
  set +m

  # run.sh builds the web app and the server first, which takes minutes on a busy 2-core machine.
  for _ in $(seq 1 600); do
    if [ "$(curl -s -o /dev/null -w '%{http_code}' "$url/api/health")" = "200" ]; then healthy=yes; break; fi
    kill -0 "$pid" 2>/dev/null || { fail "run.sh exited early"; return 1; }
    sleep 0.5
  done
  [ -n "$healthy" ] || { fail "/api/health did not answer 200"; return 1; }
  curl -sf "$url/" | grep -q "Playbooks Calling" || { fail "the web app was not served at /"; return 1; }
  pgrep -f "azurite.js.*--tablePort ${ports[2]}" >/dev/null || { fail "no Azurite process was started"; return 1; }

  case "$how" in
    ctrl-c) kill -INT -- "-$pid" ;;
    background-sigint) kill -INT "$pid" ;;
    *) kill -TERM "$pid" ;;
  esac
  for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && { fail "run.sh did not stop"; return 1; }
  sleep 0.5
  pgrep -f "azurite.js.*--tablePort ${ports[2]}" >/dev/null && { fail "Azurite was left running"; return 1; }
  echo "run.sh smoke test ($how) passed: health 200, web app served, Azurite stopped"
}

run_and_stop ctrl-c && run_and_stop sigterm && run_and_stop background-sigint
