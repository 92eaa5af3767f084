#!/usr/bin/env bash
# Points the Twilio TwiML app's Voice URL and status callback at a deployed Playbooks Calling API.
#
# Usage: infra/configure-twilio.sh [options]
#   --voice-url URL        https URL of /api/twilio/voice   (default: TWILIO_VOICE_URL from `azd env get-values`)
#   --status-url URL       https URL of /api/twilio/status  (default: TWILIO_STATUS_URL from `azd env get-values`)
#   --account-sid AC...    Twilio account SID               (default: TWILIO_ACCOUNT_SID, from the environment or azd)
#   --twiml-app-sid AP...  TwiML app SID                    (default: TWILIO_TWIML_APP_SID, from the environment or azd)
#   --dry-run              print the request instead of sending it
#   -h, --help             show this help
#
# Credentials come from environment variables only, never from arguments:
#   TWILIO_API_KEY_SID and TWILIO_API_KEY_SECRET, or else TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN.
# TWILIO_API_BASE_URL overrides https://api.twilio.com (for example to try it against a local simulator).
set -euo pipefail

usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; }
die() { echo "configure-twilio.sh: $*" >&2; exit 2; }

voice_url="" status_url="" account_sid="" app_sid="" dry_run=0
while [ $# -gt 0 ]; do
  case "$1" in
    --voice-url) [ $# -ge 2 ] || die "$1 needs a value"; voice_url=$2; shift 2 ;;
    --status-url) [ $# -ge 2 ] || die "$1 needs a value"; status_url=$2; shift 2 ;;
    --account-sid) [ $# -ge 2 ] || die "$1 needs a value"; account_sid=$2; shift 2 ;;
    --twiml-app-sid) [ $# -ge 2 ] || die "$1 needs a value"; app_sid=$2; shift 2 ;;
    --dry-run) dry_run=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done

# Values not given as arguments: the environment first, then the current azd environment.
account_sid=${account_sid:-${TWILIO_ACCOUNT_SID:-}}
app_sid=${app_sid:-${TWILIO_TWIML_APP_SID:-}}
voice_url=${voice_url:-${TWILIO_VOICE_URL:-}}
status_url=${status_url:-${TWILIO_STATUS_URL:-}}

azd_value() {
  # Reads one KEY="value" line of `azd env get-values` without evaluating it as shell.
  printf '%s\n' "$azd_values" | sed -n "s/^$1=\"\{0,1\}\([^\"]*\)\"\{0,1\}\$/\1/p" | head -n 1
}
if [ -z "$voice_url" ] || [ -z "$status_url" ] || [ -z "$account_sid" ] || [ -z "$app_sid" ]; then
  if command -v azd >/dev/null 2>&1 && azd_values=$(azd env get-values 2>/dev/null); then
    voice_url=${voice_url:-$(azd_value TWILIO_VOICE_URL)}
    status_url=${status_url:-$(azd_value TWILIO_STATUS_URL)}
    account_sid=${account_sid:-$(azd_value TWILIO_ACCOUNT_SID)}
    app_sid=${app_sid:-$(azd_value TWILIO_TWIML_APP_SID)}
  fi
fi

[ -n "$voice_url" ] || die "no voice URL: pass --voice-url (the deployment output TWILIO_VOICE_URL) or run inside an azd project"
[ -n "$status_url" ] || die "no status URL: pass --status-url (the deployment output TWILIO_STATUS_URL) or run inside an azd project"
[ -n "$account_sid" ] || die "no account SID: pass --account-sid or set TWILIO_ACCOUNT_SID"
[ -n "$app_sid" ] || die "no TwiML app SID: pass --twiml-app-sid or set TWILIO_TWIML_APP_SID"
[[ "$account_sid" =~ ^AC[0-9a-fA-F]{32}$ ]] || die "account SID must be AC followed by 32 hex characters: $account_sid"
[[ "$app_sid" =~ ^AP[0-9a-fA-F]{32}$ ]] || die "TwiML app SID must be AP followed by 32 hex characters: $app_sid"
[[ "$voice_url" =~ ^https://[^[:space:]]+/api/twilio/voice$ ]] || die "voice URL must be https://<host>/api/twilio/voice: $voice_url"
[[ "$status_url" =~ ^https://[^[:space:]]+/api/twilio/status$ ]] || die "status URL must be https://<host>/api/twilio/status: $status_url"

endpoint="${TWILIO_API_BASE_URL:-https://api.twilio.com}/2010-04-01/Accounts/$account_sid/Applications/$app_sid.json"

if [ -n "${TWILIO_API_KEY_SID:-}" ] && [ -n "${TWILIO_API_KEY_SECRET:-}" ]; then
  user=$TWILIO_API_KEY_SID secret=$TWILIO_API_KEY_SECRET
elif [ -n "${TWILIO_AUTH_TOKEN:-}" ]; then
  user=$account_sid secret=$TWILIO_AUTH_TOKEN
elif [ "$dry_run" -eq 1 ]; then
  user="(TWILIO_API_KEY_SID or TWILIO_ACCOUNT_SID)" secret=""
else
  die "no credentials: set TWILIO_API_KEY_SID and TWILIO_API_KEY_SECRET, or TWILIO_AUTH_TOKEN"
fi

if [ "$dry_run" -eq 1 ]; then
  echo "POST $endpoint"
  echo "Authorization: Basic $user:****"
  echo "VoiceUrl=$voice_url"
  echo "VoiceMethod=POST"
  echo "StatusCallback=$status_url"
  echo "StatusCallbackMethod=POST"
  exit 0
fi

# The credentials go to curl on stdin, so they never appear in the process list.
printf 'user = "%s:%s"\n' "$user" "$secret" |
  curl --silent --show-error --fail-with-body --config - \
    --request POST "$endpoint" \
    --data-urlencode "VoiceUrl=$voice_url" \
    --data-urlencode "VoiceMethod=POST" \
    --data-urlencode "StatusCallback=$status_url" \
    --data-urlencode "StatusCallbackMethod=POST" \
    --output /dev/null --write-out 'Twilio answered HTTP %{http_code}\n'
echo "TwiML app $app_sid now sends calls to $voice_url and status callbacks to $status_url"
