// CRM setup: an admin connects Salesforce (the dev server's Salesforce stand-in), sets the secret, tests the
// connection, sees a failed sync with a retry button and retries it; the call's Task is owned by the rep's User.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { apiAs, baseUrl, eventually, launch, newPage, screenshot, signIn } from './harness.mjs';

const repUserId = 'rep-phone';
const repSalesforceUser = '005000000000PHNAAA';

async function stub(method, route, body) {
  const res = await fetch(`${baseUrl}/dev/crm/salesforce/${route}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} /dev/crm/salesforce/${route}: ${res.status}`);
  return res.status === 204 ? undefined : res.json();
}

let browser;
before(async () => { browser = await launch(); });
after(async () => {
  await browser?.close();
  // The demo org writes to no CRM again, so the other tests' calls stay out of the stand-in.
  const admin = await apiAs('admin');
  await admin('PUT', '/api/admin/crm', { provider: 'none' });
});

test('an admin connects Salesforce, retries a failed sync, and the Task is owned by the rep', async () => {
  await stub('POST', 'users', { email: `${repUserId}@acme.example`, id: repSalesforceUser });
  const { page, problems } = await newPage(browser);
  await signIn(page, 'admin', '#/manage/crm');

  // Connect: the dev server's own URL is the Salesforce org.
  await page.getByTestId('crm-provider').selectOption('salesforce');
  await page.getByTestId('crm-instance-url').fill(baseUrl);
  await page.getByTestId('crm-client-id').fill('dev-consumer-key');
  await page.getByTestId('crm-save').click();
  await page.getByTestId('crm-saved').waitFor();

  // The secret is write-only: the page only ever says whether it is set.
  await page.getByTestId('crm-secret').fill('dev-client-secret-123');
  await page.getByTestId('crm-secret-save').click();
  await page.getByTestId('crm-secret-saved').waitFor();
  assert.equal(await page.getByTestId('crm-secret-state').textContent(), 'set');
  assert.equal(await page.getByTestId('crm-secret').inputValue(), '');

  await page.getByTestId('crm-test').click();
  await page.getByTestId('crm-test-ok').waitFor();
  assert.match(await page.getByTestId('crm-test-ok').textContent(), /Connected/);

  // Let anything already pending sync, then make the next Task the stand-in receives fail.
  await new Promise((resolve) => setTimeout(resolve, 3000));
  await stub('POST', 'fail-next', { count: 1 });

  const rep = await apiAs(repUserId);
  const placed = await rep('POST', '/api/calls', { to: '+12015550105' });
  assert.equal(placed.status, 201, JSON.stringify(placed.body));
  const callSid = placed.body.callSid;

  const admin = await apiAs('admin');
  await eventually(async () => {
    const { body } = await admin('GET', '/api/admin/crm/failures');
    return body.items.some((f) => f.callSid === callSid && f.kind === 'sync-failed');
  }, { timeoutMs: 30_000, what: `a sync failure for ${callSid}` });

  await page.reload();
  const row = page.getByTestId(`crm-failure-${callSid}`);
  await row.waitFor();
  assert.match(await row.textContent(), /FIELD_CUSTOM_VALIDATION_EXCEPTION/);
  await screenshot(page, 'crm-setup-failed-sync');
  await page.getByTestId(`crm-retry-${callSid}`).click();
  await page.getByTestId('crm-retried').waitFor();
  await row.waitFor({ state: 'detached' });

  const task = await eventually(async () => (await stub('GET', 'tasks')).find((t) => t.CallObject === callSid),
    { what: `the Task of ${callSid}` });
  assert.equal(task.OwnerId, repSalesforceUser);
  const requests = await stub('GET', 'requests');
  assert.ok(requests.some((r) => r.query.includes(' FROM User ') && r.query.includes(`${repUserId}@acme.example`)),
    'the rep\'s User was looked up by email');
  assert.ok(requests.every((r) => !JSON.stringify(r).includes('dev-client-secret-123') || r.path === '/services/oauth2/token'),
    'the secret went only to the token endpoint');
  assert.deepEqual(problems, []);
});
