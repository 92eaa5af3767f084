// Writes dist/config.json for an Azure deployment from the values `azd` keeps for the environment
// (the Bicep outputs API_BASE_URL, ENTRA_CLIENT_ID and ENTRA_TENANT_ID), so the deployed web app
// signs in with Entra ID and calls the deployed API instead of the dev server's defaults. It also adds
// that API's origin to connect-src of dist/staticwebapp.config.json's Content-Security-Policy.
import { readFile, writeFile } from 'node:fs/promises';
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

/** staticwebapp.config.json with the API's origin allowed in the CSP's connect-src (once, however often it runs). */
export function withApiOrigin(swaConfig, apiBaseUrl) {
  const origin = new URL(apiBaseUrl).origin;
  const headers = swaConfig.globalHeaders ?? {};
  const csp = headers['Content-Security-Policy'];
  if (typeof csp !== 'string' || !/(^|;)\s*connect-src /.test(csp)) {
    throw new Error("staticwebapp.config.json: globalHeaders has no Content-Security-Policy with a connect-src directive.");
  }
  const policy = csp.split(';').map((d) => d.trim()).map((directive) => {
    const [name, ...sources] = directive.split(/\s+/);
    return name === 'connect-src' && !sources.includes(origin) ? [name, sources[0], origin, ...sources.slice(1)].join(' ') : directive;
  }).join('; ');
  return { ...swaConfig, globalHeaders: { ...headers, 'Content-Security-Policy': policy } };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const dist = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist');
  const target = path.join(dist, 'config.json');
  const swaTarget = path.join(dist, 'staticwebapp.config.json');
  try {
    const config = configFromEnv(process.env);
    await writeFile(target, `${JSON.stringify(config, null, 2)}\n`);
    console.log(`wrote ${target}`);
    const swaConfig = withApiOrigin(JSON.parse(await readFile(swaTarget, 'utf8')), config.apiBaseUrl);
    await writeFile(swaTarget, `${JSON.stringify(swaConfig, null, 2)}\n`);
    console.log(`wrote ${swaTarget}`);
  } catch (error) {
    console.error(`deploy-config: ${error.message}`);
    process.exit(1);
  }
}
