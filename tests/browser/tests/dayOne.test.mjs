// Day one on an empty store: a second dev server, started by this file with its own in-memory Azurite, no demo seed
// and Bootstrap settings naming the first org and its admin. Everything after signing in goes through the web app:
// the admin sets up a group, a team with a manager added by email, and the org defaults; a new rep signs in and
// calls with the default method (phone-based, after verifying their phone on the simulated call); Support enables
// computer-based calling; the manager switches the rep to it from the Teams page; the rep's open dialer follows.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { launch, newPage, numbers, screenshot } from './harness.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const suffix = `${process.pid.toString(36)}${Date.now().toString(36)}`;
const org = { id: `dayone-${suffix}`, name: 'Day One Sales' };
/** The dev server's support tenant (Auth:SupportTenantId in appsettings.Development.json). */
const supportTenantId = '5a5e1d3c-0000-4000-8000-000000000001';
const people = {
  admin: { userId: '6d0a9c1e-0000-4000-8000-00000000da01', orgId: org.id, displayName: 'Ada First', roles: ['Admin'], tenantId: '6d0a9c1e-0000-4000-8000-00000000d7e1' },
  manager: { userId: '6d0a9c1e-0000-4000-8000-00000000da02', orgId: org.id, displayName: 'Mia Manager', roles: ['Manager'], email: 'mia@dayone.example' },
  rep: { userId: '6d0a9c1e-0000-4000-8000-00000000da03', orgId: org.id, displayName: 'Ray Rookie', roles: ['Rep'], email: 'ray@dayone.example' },
  support: { userId: 'dayone-support', orgId: 'playbooks-vendor', displayName: 'Sue Support', roles: ['Support'], tenantId: supportTenantId },
};
const agentPhone = '+12015550100';

let browser;
let baseUrl;
const children = [];

async function freePorts(count) {
  const servers = await Promise.all(Array.from({ length: count }, () => new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => resolve(server));
  })));
  const ports = servers.map((s) => s.address().port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

/** Starts a process in its own process group, keeping the last of its output for a failure message. */
function start(command, args, options) {
  const child = spawn(command, args, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.output = '';
  const keep = (chunk) => { child.output = (child.output + chunk).slice(-4000); };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  children.push(child);
  return child;
}

async function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  try { process.kill(-child.pid, 'SIGTERM'); } catch { return; }
  const timer = setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }, 10_000);
  await exited;
  clearTimeout(timer);
}

async function waitForHealth(url, server) {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the second dev server exited:\n${server.output}`);
    try {
      if ((await fetch(`${url}/api/health`)).status === 200) return;
    } catch { /* not listening yet */ }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url}/api/health did not answer 200 within 2 minutes:\n${server.output}`);
}

/** The second dev server: an empty in-memory Azurite of its own, no demo org, the first org named by Bootstrap settings. */
async function startEmptyServer() {
  const [http, blob, queue, table] = await freePorts(4);
  start('node', [path.join(repoRoot, 'node_modules', 'azurite', 'dist', 'src', 'azurite.js'), '--silent', '--skipApiVersionCheck',
    '--disableTelemetry', '--inMemoryPersistence', '--blobHost', '127.0.0.1', '--blobPort', `${blob}`, '--queueHost', '127.0.0.1',
    '--queuePort', `${queue}`, '--tableHost', '127.0.0.1', '--tablePort', `${table}`], { cwd: repoRoot });
  const account = 'AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
  const storage = `DefaultEndpointsProtocol=http;${account};BlobEndpoint=http://127.0.0.1:${blob}/devstoreaccount1;`
    + `QueueEndpoint=http://127.0.0.1:${queue}/devstoreaccount1;TableEndpoint=http://127.0.0.1:${table}/devstoreaccount1;`;
  const url = `http://127.0.0.1:${http}`;
  const server = start('dotnet', ['bin/Debug/net10.0/Playbooks.DevServer.dll'], {
    cwd: path.join(repoRoot, 'functions', 'Playbooks.DevServer'),
    env: {
      ...process.env,
      ASPNETCORE_ENVIRONMENT: 'Development',
      ASPNETCORE_URLS: url,
      Storage__ConnectionString: storage,
      Twilio__PublicBaseUrl: url,
      Twilio__RestApiBaseUrl: `${url}/sim`,
      // The deployment's caller ID until Support assigns the org one (the simulated account owns +1500…).
      Twilio__DefaultCallerId: '+15005550006',
      DevServer__RepoRoot: repoRoot,
      DevServer__SeedDemoOrg: 'false',
      Bootstrap__OrgId: org.id,
      Bootstrap__OrgName: org.name,
      Bootstrap__AdminObjectId: people.admin.userId,
      Bootstrap__AdminTenantId: people.admin.tenantId,
      // Real time, so the verification call's <Gather> waits its full 10 s for the code.
      Simulator__TimeScale: '1',
      Simulator__RingSeconds: '2',
    },
  });
  await waitForHealth(url, server);
  return url;
}

/** Signs in as an ad-hoc identity: the dev token goes where the dev sign-in keeps it, then the app opens at `hash`. */
async function signInAs(browserPage, who, hash = '') {
  const response = await fetch(`${baseUrl}/dev/token`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(who) });
  assert.equal(response.status, 200, `POST /dev/token for ${who.userId}`);
  const { accessToken } = await response.json();
  await browserPage.context().addInitScript(([token, userId]) => {
    sessionStorage.setItem('playbooks.devToken', token);
    sessionStorage.setItem('playbooks.devUser', userId);
  }, [accessToken, who.userId]);
  await browserPage.goto(`${baseUrl}/${hash}`);
  await browserPage.getByTestId('signed-in-as').filter({ hasText: ' \u00b7 ' }).waitFor();
}

async function simEvents(query) {
  const res = await fetch(`${baseUrl}/sim/events${query}`);
  if (!res.ok) throw new Error(`GET /sim/events: ${res.status}`);
  return res.json();
}

async function eventually(check, { timeoutMs = 15_000, what }) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

before(async () => {
  [baseUrl] = await Promise.all([startEmptyServer(), launch().then((b) => { browser = b; })]);
});
after(async () => {
  await browser?.close();
  // The dev server first, then its Azurite.
  for (const child of children.reverse()) await stop(child);
});

describe('day one on an empty store', () => {
  it('bootstrap admin sets up the org, a new rep calls with the default method, and switches to computer-based live', async () => {
    const admin = await newPage(browser);
    const rep = await newPage(browser);
    const manager = await newPage(browser);
    const support = await newPage(browser);
    try {
      // 1. The bootstrap admin signs in and sees their org.
      let page = admin.page;
      await signInAs(page, people.admin, '#/manage/org');
      // The bootstrap created the admin's person record (as "First admin") before anyone signed in.
      assert.equal(await page.getByTestId('signed-in-as').textContent(), `First admin \u00b7 ${org.name}`);
      await page.getByTestId('org-computer-calling').filter({ hasText: `${org.name}: computer-based calling is not enabled` }).waitFor();

      // 2. A permission group, the manager added by email, a team they manage, and the org defaults.
      await page.getByTestId('nav-manage-groups').click();
      await page.getByTestId('create-group').click();
      const groupForm = page.getByTestId('group-form');
      await groupForm.getByTestId('group-name').fill('Reps');
      await groupForm.getByLabel('Computer-based calling').check();
      await groupForm.getByLabel('Phone-based calling').check();
      await groupForm.getByRole('button', { name: 'SAVE' }).click();
      await page.getByTestId('group-saved').filter({ hasText: 'Created \u201cReps\u201d.' }).waitFor();

      await page.getByTestId('nav-manage-people').click();
      await page.getByTestId('add-person-email').fill(people.manager.email);
      await page.getByTestId('add-person-name').fill(people.manager.displayName);
      await page.getByTestId('add-person').click();
      await page.getByTestId('person-added').waitFor();
      const managerRow = page.locator('[data-testid="people-table"] tr[data-user-id]').filter({ hasText: people.manager.displayName });
      const placeholderId = await managerRow.getAttribute('data-user-id');
      assert.match(placeholderId, /^added-/);

      await page.getByTestId('nav-manage-teams').click();
      await page.getByTestId('create-team').click();
      await page.getByTestId('team-name-input').fill('Pioneers');
      await page.getByTestId('team-managers-input').fill(placeholderId);
      await page.getByTestId('save-team').click();
      await page.getByTestId('team-saved').filter({ hasText: 'Created \u201cPioneers\u201d.' }).waitFor();
      const teamLink = page.locator('[data-testid="teams-list"] a[data-testid^="team-"]').filter({ hasText: 'Pioneers' });
      const teamTestId = await teamLink.getAttribute('data-testid');

      await page.getByTestId('nav-manage-org').click();
      await page.getByTestId('org-default-group').selectOption({ label: 'Reps' });
      await page.getByTestId('org-default-preference').selectOption('phone');
      await page.getByTestId('save-org').click();
      await page.getByTestId('org-saved').waitFor();
      await screenshot(page, 'dayone-org-defaults');

      // 3. A new rep signs in for the first time: the org's defaults, and a phone-based call once their phone is verified.
      page = rep.page;
      await signInAs(page, people.rep, '#/settings/phone');
      assert.equal(await page.getByTestId('current-preference').textContent(), 'Phone-based calling');
      await page.getByTestId('agent-phone').fill(agentPhone);
      await page.getByTestId('save-agent-phone').click();
      const code = (await page.getByTestId('agent-phone-code').textContent()).trim();
      // The rep answers the verification call and types the code on their phone's keypad.
      const gather = await eventually(async () => (await simEvents('')).find((e) => e.kind === 'gather'), { what: 'the verification call to ask for the code' });
      const digits = await fetch(`${baseUrl}/sim/calls/${gather.callSid}/digits`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ digits: code }) });
      assert.equal(digits.status, 200);
      const state = page.getByTestId('agent-phone-state');
      await eventually(async () => {
        if (await state.getAttribute('data-state') === 'verified') return true;
        await page.getByTestId('refresh-agent-phone').click({ timeout: 1_000 }).catch(() => {});
        return false;
      }, { what: 'the agent phone to be verified' });

      await page.getByTestId('nav-dialer').click();
      const method = page.getByTestId('calling-method');
      await method.filter({ hasText: 'Phone-based calling' }).waitFor();
      await page.getByLabel('Number to call').fill(numbers.answers);
      const placed = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/calls');
      await page.getByTestId('call-button').click();
      assert.equal((await placed).status(), 201);
      await page.locator('[data-testid="call-status"][data-phase="in-call"]').waitFor({ timeout: 20_000 });
      await page.getByRole('button', { name: 'END call' }).click();
      await page.locator('[data-testid="call-status"][data-phase="ended"]').waitFor();
      await page.evaluate(() => { window.__sameDocument = true; });

      // The admin moves the rep, who now exists, into the team.
      page = admin.page;
      await page.getByTestId('nav-manage-people').click();
      await page.getByRole('button', { name: `Actions for ${people.rep.displayName}` }).click();
      await page.getByTestId(`person-edit-${people.rep.userId}`).click();
      await page.getByTestId('person-team-select').selectOption({ label: 'Pioneers' });
      await page.getByTestId('save-person').click();
      await page.getByTestId('person-editor').waitFor({ state: 'detached' });

      // 4. Support enables computer-based calling for the org.
      page = support.page;
      await signInAs(page, people.support, '#/support');
      await page.getByTestId('support-org-id').fill(org.id);
      await page.getByTestId('enable-computer-calling').click();
      await page.getByTestId('support-saved').waitFor();

      // 5. The manager (added by email; this first sign-in claims the record) switches the rep from the Teams page.
      page = manager.page;
      await signInAs(page, people.manager, '#/manage/teams');
      await page.getByTestId(teamTestId).click();
      await page.getByTestId('team-name').filter({ hasText: 'Pioneers' }).waitFor();
      await page.getByRole('button', { name: `Actions for ${people.rep.displayName}` }).click();
      await page.getByTestId(`person-edit-${people.rep.userId}`).click();
      const editor = page.getByTestId('person-editor');
      await editor.getByTestId('change-preference').click();
      await editor.getByTestId('person-preference-select').selectOption('computer');
      await editor.getByTestId('save-person').click();
      await editor.waitFor({ state: 'detached' });
      const changedAt = Date.now();

      // 6. The rep's open dialer shows it within 10 seconds, in the same document.
      page = rep.page;
      await method.filter({ hasText: 'Computer-based calling' }).waitFor({ timeout: 10_000 });
      assert.ok(Date.now() - changedAt <= 10_000);
      assert.equal(await page.evaluate(() => window.__sameDocument), true, 'the page was not reloaded');
      await screenshot(page, 'dayone-rep-dialer-computer');

      for (const { problems } of [admin, rep, manager, support]) assert.deepEqual(problems, []);
    } finally {
      for (const { context } of [admin, rep, manager, support]) await context.close();
    }
  });
});
