#!/usr/bin/env bash
# Starts the repo's pinned Azurite in memory on three free ports and prints the connection string.
# Usage: source scripts/azurite.sh; start_azurite; ...; stop_azurite
start_azurite() {
  local ports
  mapfile -t ports < <(scripts/free-ports.sh 3)
  node node_modules/azurite/dist/src/azurite.js --silent --inMemoryPersistence --skipApiVersionCheck --disableTelemetry \
    --blobHost 127.0.0.1 --blobPort "${ports[0]}" --queueHost 127.0.0.1 --queuePort "${ports[1]}" \
    --tableHost 127.0.0.1 --tablePort "${ports[2]}" >/tmp/azurite-test.log 2>&1 &
  AZURITE_PID=$!
  for _ in $(seq 1 100); do
    (echo >"/dev/tcp/127.0.0.1/${ports[2]}") 2>/dev/null && (echo >"/dev/tcp/127.0.0.1/${ports[1]}") 2>/dev/null && break
    sleep 0.1
  done
  export AZURITE_PID
  export PLAYBOOKS_TEST_STORAGE="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:${ports[0]}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:${ports[1]}/devstoreaccount1;TableEndpoint=http://127.0.0.1:${ports[2]}/devstoreaccount1;"
}

stop_azurite() {
  if [ -n "${AZURITE_PID:-}" ]; then
    kill "$AZURITE_PID" 2>/dev/null || true
    wait "$AZURITE_PID" 2>/dev/null || true
    AZURITE_PID=
  fi
}
