// Writes dist/config.json for an Azure deployment from the values `azd` keeps for the environment
// (the Bicep outputs API_BASE_URL, ENTRA_CLIENT_ID and ENTRA_TENANT_ID), so the deployed web app
// signs in with Entra ID and calls the deployed API instead of the dev server's defaults.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The deployed config.json, or an error naming the missing or malformed value. */
export function configFromEnv(env) {
  const apiBaseUrl = (env.API_BASE_URL ?? '').trim().replace(/\/+$/, '');
  const clientId = (env.ENTRA_CLIENT_ID ?? '').trim();
  const tenantId = (env.ENTRA_TENANT_ID ?? '').trim();
  if (!/^https:\/\/[^/\s]+$/.test(apiBaseUrl)) throw new Error(`API_BASE_URL must be the API's https origin, got '${apiBaseUrl}'.`);
  if (!guid.test(clientId)) throw new Error(`ENTRA_CLIENT_ID must be the app registration's client id (a GUID), got '${clientId}'.`);
  if (!guid.test(tenantId)) throw new Error(`ENTRA_TENANT_ID must be the tenant id (a GUID), got '${tenantId}'.`);
  return { apiBaseUrl, auth: { mode: 'entra', clientId, tenantId, scopes: [`api://${clientId}/.default`] } };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const target = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'config.json');
  try {
    await writeFile(target, `${JSON.stringify(configFromEnv(process.env), null, 2)}\n`);
    console.log(`wrote ${target}`);
  } catch (error) {
    console.error(`deploy-config: ${error.message}`);
    process.exit(1);
  }
}
