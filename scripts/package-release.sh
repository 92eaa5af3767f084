#!/usr/bin/env bash
# Builds the release assets into dist/ (or the folder given):
#   playbooks-functions.zip  the Function App (dotnet publish, Release), installed by the portal's packageUrl
#                            parameter or by `az functionapp deployment source config-zip`;
#   playbooks-web.zip        the built static-ui, to upload to the Static Web App (see infra/README.md).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=$(mkdir -p "${1:-$root/dist}" && cd "${1:-$root/dist}" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

dotnet publish "$root/functions/Playbooks.Functions" -c Release -o "$work/functions" -nologo -v quiet
rm -f "$out/playbooks-functions.zip"
# The zip's root is the publish folder itself (host.json at the top), as Functions deployments expect.
(cd "$work/functions" && zip -q -r -X "$out/playbooks-functions.zip" .)

npm ci --prefix "$root/static-ui" --no-audit --no-fund --loglevel=error
npm run --prefix "$root/static-ui" build --silent
rm -f "$out/playbooks-web.zip"
(cd "$root/static-ui/dist" && zip -q -r -X "$out/playbooks-web.zip" .)

echo "wrote $out/playbooks-functions.zip and $out/playbooks-web.zip"
