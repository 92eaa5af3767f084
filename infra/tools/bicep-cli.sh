#!/usr/bin/env bash
# Restores the pinned bicep CLI (a NuGet package) into the NuGet cache and prints the path of its executable.
set -euo pipefail

tools=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
proj="$tools/BicepCli.proj"
version=$(sed -n 's/.*"Azure\.Bicep\.CommandLine\.linux-x64" Version="\[\([^]]*\)\]".*/\1/p' "$proj")
if [ -z "$version" ]; then
  echo "bicep-cli.sh: no pinned Azure.Bicep.CommandLine.linux-x64 version in $proj" >&2
  exit 1
fi

packages=${NUGET_PACKAGES:-$(dotnet nuget locals global-packages --list | sed 's/^global-packages: //')}
bicep="${packages%/}/azure.bicep.commandline.linux-x64/$version/tools/bicep"

if [ ! -f "$bicep" ]; then
  dotnet restore "$proj" --nologo --verbosity quiet >&2
fi
if [ ! -f "$bicep" ]; then
  echo "bicep-cli.sh: restore finished but $bicep is missing" >&2
  exit 1
fi
# NuGet extracts package files without the execute bit.
[ -x "$bicep" ] || chmod +x "$bicep"
echo "$bicep"
