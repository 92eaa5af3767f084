#!/usr/bin/env bash
# Prints the "Deploy to Azure" link of one release: the portal opens infra/azuredeploy.json with the form
# infra/createUiDefinition.json, both read raw from GitHub at the release tag.
#
#   scripts/deploy-button.sh [--stamp] <tag> [repository]
#
# repository: owner/name or its GitHub URL (https or ssh); defaults to `git remote get-url origin`.
# --stamp: also writes the release's package URL into infra/createUiDefinition.json as the form's default,
#          so the tagged commit's form installs that release's code. Run it before tagging and commit the change.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

usage() { echo "usage: scripts/deploy-button.sh [--stamp] <tag> [owner/name or GitHub URL]" >&2; exit 2; }

stamp=0
if [ "${1:-}" = "--stamp" ]; then stamp=1; shift; fi
[ $# -ge 1 ] && [ $# -le 2 ] || usage
tag=$1
[[ "$tag" =~ ^[A-Za-z0-9._/-]+$ ]] || { echo "The tag '$tag' has characters a release tag cannot have." >&2; exit 2; }

remote=${2:-}
if [ -z "$remote" ]; then
  remote=$(git -C "$root" remote get-url origin 2>/dev/null) || {
    echo "No repository given and this clone has no 'origin' remote; pass owner/name as the second argument." >&2
    exit 2
  }
fi

# owner/name from owner/name, https://github.com/owner/name(.git) or git@github.com:owner/name(.git).
repo=$remote
repo=${repo%/}
repo=${repo%.git}
case "$repo" in
  https://github.com/*) repo=${repo#https://github.com/} ;;
  http://github.com/*) repo=${repo#http://github.com/} ;;
  ssh://git@github.com/*) repo=${repo#ssh://git@github.com/} ;;
  git@github.com:*) repo=${repo#git@github.com:} ;;
  *://*|*@*) echo "'$remote' is not a GitHub repository; the portal reads the templates from raw.githubusercontent.com." >&2; exit 2 ;;
esac
[[ "$repo" =~ ^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$ ]] || { echo "'$remote' does not name a GitHub repository (owner/name)." >&2; exit 2; }

# Percent-encodes everything but RFC 3986 unreserved characters, as the portal's #create/ link needs.
encode() {
  local s=$1 out="" c i
  for ((i = 0; i < ${#s}; i++)); do
    c=${s:i:1}
    case "$c" in
      [A-Za-z0-9._~-]) out+=$c ;;
      *) out+=$(printf '%%%02X' "'$c") ;;
    esac
  done
  printf '%s' "$out"
}

raw="https://raw.githubusercontent.com/$repo/$tag/infra"
template="$raw/azuredeploy.json"
form="$raw/createUiDefinition.json"
package="https://github.com/$repo/releases/download/$tag/playbooks-functions.zip"
link="https://portal.azure.com/#create/Microsoft.Template/uri/$(encode "$template")/createUIDefinitionUri/$(encode "$form")"

if [ "$stamp" -eq 1 ]; then
  ui="$root/infra/createUiDefinition.json"
  grep -q '"name": "packageUrl"' "$ui" || { echo "infra/createUiDefinition.json has no packageUrl element." >&2; exit 1; }
  # Only the defaultValue inside the packageUrl element changes; the rest of the file keeps its layout.
  sed -i "/\"name\": \"packageUrl\"/,/}/ s|\"defaultValue\": \"[^\"]*\"|\"defaultValue\": \"$package\"|" "$ui"
  echo "infra/createUiDefinition.json: the package URL now defaults to $package (commit it before tagging $tag)." >&2
fi

cat <<OUT
template: $template
form: $form
package: $package
link: $link
markdown: [![Deploy to Azure](https://aka.ms/deploytoazurebutton)]($link)
OUT
