#!/usr/bin/env bash
# Regenerates infra/azuredeploy.json (the template behind the portal's "Deploy to Azure" button) from infra/bicep/main.bicep.
set -euo pipefail

infra=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bicep=$("$infra/tools/bicep-cli.sh")
trap 'rm -f "$infra/azuredeploy.json.tmp"' EXIT

# --no-restore: the templates use no registry modules, and restore would reach for the public module index.
"$bicep" build "$infra/bicep/main.bicep" --no-restore --stdout >"$infra/azuredeploy.json.tmp"
mv "$infra/azuredeploy.json.tmp" "$infra/azuredeploy.json"
echo "wrote infra/azuredeploy.json"
