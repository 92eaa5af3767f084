#!/usr/bin/env bash
# Checks the infrastructure code: bicep build and bicep lint report nothing at all (a warning fails),
# and the committed infra/azuredeploy.json is exactly what main.bicep compiles to.
# Needs only the .NET SDK and NuGet; the bicep CLI runs offline.
set -euo pipefail

infra=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bicep=$("$infra/tools/bicep-cli.sh")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0

# --no-restore everywhere: no registry modules are used, and restore would reach for the public module index.
if ! "$bicep" build "$infra/bicep/main.bicep" --no-restore --stdout >"$work/azuredeploy.json" 2>"$work/build.log"; then
  echo "FAIL: bicep build infra/bicep/main.bicep failed:"
  cat "$work/build.log"
  exit 1
fi
if [ -s "$work/build.log" ]; then
  echo "FAIL: bicep build reported diagnostics (warnings count as failures):"
  cat "$work/build.log"
  failed=1
fi

# bicep lint exits 0 on warnings, so any output at all is a failure.
(cd "$infra/bicep" && "$bicep" lint --pattern '**/*.bicep' --no-restore) >"$work/lint.log" 2>&1 || true
if [ -s "$work/lint.log" ]; then
  echo "FAIL: bicep lint reported diagnostics:"
  cat "$work/lint.log"
  failed=1
fi

if ! cmp -s "$work/azuredeploy.json" "$infra/azuredeploy.json"; then
  echo "FAIL: infra/azuredeploy.json does not match infra/bicep/main.bicep. Run infra/build.sh and commit the result."
  diff -u "$infra/azuredeploy.json" "$work/azuredeploy.json" | head -n 40 || true
  failed=1
fi

if [ "$failed" -ne 0 ]; then
  exit 1
fi
echo "infra: bicep build and lint clean, azuredeploy.json up to date"
