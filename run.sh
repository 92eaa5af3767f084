#!/usr/bin/env bash
# Runs the whole system locally: Azurite, the dev server (every function, the Twilio simulator,
# dev sign-in with a seeded demo org) and the web app, on http://localhost:7071.
set -euo pipefail
cd "$(dirname "$0")"

command -v dotnet >/dev/null || { echo "The .NET 10 SDK is required (dotnet not found)." >&2; exit 1; }
command -v node >/dev/null || { echo "Node.js 20+ is required (node not found)." >&2; exit 1; }

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
if [ ! -f static-ui/node_modules/.package-lock.json ] || [ static-ui/package-lock.json -nt static-ui/node_modules/.package-lock.json ]; then
  npm ci --prefix static-ui --no-audit --no-fund
fi
npm run --prefix static-ui build
dotnet build functions/Playbooks.DevServer -c Debug -nologo -v quiet

url="${ASPNETCORE_URLS:-http://localhost:7071}"
cat <<MSG

  Playbooks Calling is starting on ${url}
  Open ${url}/ and sign in as one of the seeded demo users (GET ${url}/dev/users lists them).
  Telephony is simulated: no Twilio account is needed. Press Ctrl-C to stop (Azurite stops with it).

MSG
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
export DevServer__RepoRoot="$PWD"
cd functions/Playbooks.DevServer
# A shell without job control (./run.sh &, CI, nohup) starts background jobs with SIGINT and SIGQUIT ignored, and
# .NET then leaves them ignored, so Ctrl-C or kill -INT would not stop the server. Bash cannot undo an ignore it
# inherited; perl (part of every Debian and macOS) restores the default before it becomes the server.
exec perl -e '$SIG{INT} = $SIG{QUIT} = "DEFAULT"; exec { $ARGV[0] } @ARGV or die "cannot start $ARGV[0]: $!\n"' \
  dotnet bin/Debug/net10.0/Playbooks.DevServer.dll
