// Manager, admin and rep pages against the real API: the calling-preference scenario from the source document,
// permission groups, and every manage page rendering the API's data.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiAs, ensurePerson, launch, newPage, screenshot, signIn } from './harness.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const optionValues = (page) => page.getByTestId('preference-select').locator('option').evaluateAll((options) => options.map((o) => o.value));

describe('the calling-preference drop-down scenario', () => {
  // rep-phone is in the "Phone only" group and prefers phone-based calling; put that back whatever happens.
  const restore = () => ensurePerson('rep-phone', { callingPreference: 'phone', permissionGroupId: 'phone-only' });
  before(restore);
  after(restore);

  it('manager sets a phone-only rep to computer-based (warned); the rep then sees both, switches back, and sees only phone-based', async () => {
    const manager = await newPage(browser);
    try {
      await signIn(manager.page, 'manager');
      const page = manager.page;
      await page.getByTestId('nav-manage-teams').click();
      await page.getByTestId('team-east').click();
      await page.getByTestId('team-name').filter({ hasText: 'East' }).waitFor();
      const row = page.locator('[data-testid="team-people"] tr[data-user-id="rep-phone"]');
      assert.match(await row.textContent(), /Pat Phone \(rep\).*Phone-based calling.*Phone only/);
      await screenshot(page, 'manage-team-east');

      await page.getByRole('button', { name: 'Actions for Pat Phone (rep)' }).click();
      await page.getByTestId('person-edit-rep-phone').click();
      const editor = page.getByTestId('person-editor');
      await editor.waitFor();
      assert.equal(await editor.getByTestId('person-preference').textContent(), 'Phone-based calling');
      await editor.getByTestId('change-preference').click();
      await editor.getByTestId('person-preference-select').selectOption('computer');
      await screenshot(page, 'manage-person-editor');
      await editor.getByTestId('save-person').click();
      const warning = editor.getByTestId('person-warning');
      await warning.waitFor();
      assert.equal(await warning.textContent(), 'Pat Phone (rep) cannot place computer-based calls until granted: Permission group \u2018Phone only\u2019 does not allow computer-based calling.'.replace(/[\u2018\u2019]/g, "'"));
      await screenshot(page, 'manage-person-saved-with-warning');
      await editor.getByRole('button', { name: 'OK' }).click();
      await row.filter({ hasText: 'Computer-based calling' }).waitFor();
      assert.deepEqual(manager.problems, []);
    } finally {
      await manager.context.close();
    }

    const rep = await newPage(browser);
    try {
      const page = rep.page;
      await signIn(page, 'rep-phone');
      await page.getByTestId('nav-settings-phone').click();
      assert.equal(await page.getByTestId('current-preference').textContent(), 'Computer-based calling');
      assert.match(await page.getByTestId('can-place-computer').textContent(), /Not available\. Permission group 'Phone only' does not allow computer-based calling\./);
      await page.getByTestId('edit-preference').click();
      assert.deepEqual(await optionValues(page), ['computer', 'phone'], 'the manager\u2019s choice plus what the group allows');
      assert.match(await page.getByTestId('preference-note').textContent(), /won.t be offered again/);
      await screenshot(page, 'settings-phone-both-options');

      await page.getByTestId('preference-select').selectOption('phone');
      await page.getByTestId('save-preference').click();
      await page.getByTestId('current-preference').filter({ hasText: 'Phone-based calling' }).waitFor();
      await page.getByTestId('edit-preference').click();
      assert.deepEqual(await optionValues(page), ['phone'], 'once switched away, computer-based is gone');
      await screenshot(page, 'settings-phone-only-option');

      const me = await (await apiAs('rep-phone'))('GET', '/api/me');
      assert.deepEqual({ preference: me.body.callingPreference, options: me.body.callingOptions }, { preference: 'phone', options: ['phone'] });
      assert.deepEqual(rep.problems, []);
    } finally {
      await rep.context.close();
    }
  });
});

describe('permission groups (admin)', () => {
  const name = `Browser test group ${process.pid}`;
  const removeTestGroups = async () => {
    const admin = await apiAs('admin');
    const { body } = await admin('GET', '/api/admin/permission-groups?pageSize=200');
    for (const g of body.items.filter((x) => x.name.startsWith('Browser test group'))) {
      const one = await admin('GET', `/api/admin/permission-groups/${g.id}`);
      await admin('DELETE', `/api/admin/permission-groups/${g.id}`, undefined, { 'If-Match': one.etag });
    }
  };
  before(removeTestGroups);
  after(removeTestGroups);

  it('creates a group, edits its Phone Settings, sees them persisted after a reload, and deletes it', async () => {
    const { context, page, problems } = await newPage(browser);
    try {
      await signIn(page, 'admin');
      await page.getByTestId('nav-manage-groups').click();
      await page.getByTestId('groups-table').waitFor();

      await page.getByTestId('create-group').click();
      const form = page.getByTestId('group-form');
      await form.getByTestId('group-name').fill(name);
      await form.getByLabel('Phone-based calling').check();
      await form.getByRole('button', { name: 'SAVE' }).click();
      await page.getByTestId('group-saved').filter({ hasText: `Created \u201c${name}\u201d.` }).waitFor();
      const row = page.locator('[data-testid="groups-table"] tr[data-group-id]').filter({ hasText: name });
      const id = await row.getAttribute('data-group-id');
      assert.deepEqual(await row.locator('td').evaluateAll((cells) => cells.slice(0, 3).map((c) => c.textContent)), [name, '\u2014', 'Allowed']);

      await page.getByTestId(`edit-group-${id}`).click();
      assert.equal(await form.getByLabel('Phone-based calling').isChecked(), true);
      await form.getByLabel('Computer-based calling').check();
      await form.getByRole('button', { name: 'SAVE' }).click();
      await page.getByTestId('group-saved').filter({ hasText: `Saved \u201c${name}\u201d.` }).waitFor();
      await screenshot(page, 'manage-groups');

      await page.reload();
      const reloaded = page.locator(`[data-testid="groups-table"] tr[data-group-id="${id}"]`);
      await reloaded.waitFor();
      assert.deepEqual(await reloaded.locator('td').evaluateAll((cells) => cells.slice(0, 3).map((c) => c.textContent)), [name, 'Allowed', 'Allowed']);
      const stored = await (await apiAs('admin'))('GET', `/api/admin/permission-groups/${id}`);
      assert.deepEqual({ allowComputer: stored.body.allowComputer, allowPhone: stored.body.allowPhone }, { allowComputer: true, allowPhone: true });

      await page.getByTestId(`delete-group-${id}`).click();
      await reloaded.waitFor({ state: 'detached' });
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('refuses to delete a group that has members, with the server\u2019s message', async () => {
    const { context, page, problems } = await newPage(browser);
    try {
      await signIn(page, 'admin', '#/manage/groups');
      await page.getByTestId('delete-group-phone-only').click();
      const refusal = page.getByTestId('group-delete-error');
      await refusal.waitFor();
      assert.match(await refusal.textContent(), /^Permission group 'Phone only' has \d+ members?\. Move them to another group first\.$/);
      await page.locator('[data-testid="groups-table"] tr[data-group-id="phone-only"]').waitFor();
      await screenshot(page, 'manage-groups-delete-refused');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});

describe('manage pages (admin)', () => {
  it('each page shows the API\u2019s data, never an error', async () => {
    const { context, page, problems } = await newPage(browser);
    try {
      await signIn(page, 'admin');
      const pages = [
        ['nav-manage-teams', 'teams-list', 'manage-teams'],
        ['nav-manage-people', 'people-table', 'manage-people'],
        ['nav-manage-calls', 'admin-calls-table', 'manage-calls'],
        ['nav-manage-quality', 'quality-reports-table', 'manage-quality-reports'],
        ['nav-manage-audit', 'audit-table', 'manage-audit'],
        ['nav-manage-org', 'org-recording', 'manage-org'],
      ];
      for (const [nav, content, shot] of pages) {
        await page.getByTestId(nav).click();
        await page.getByTestId(content).waitFor();
        assert.equal(await page.getByTestId('page-error').count(), 0, `${nav} shows no error`);
        await screenshot(page, shot);
      }
      await page.getByTestId('nav-manage-people').click();
      await page.getByTestId('people-search').fill('Pat');
      await page.locator('[data-testid="people-table"] tr[data-user-id]').first().waitFor();
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="people-table"] tr[data-user-id]').length === 1);
      assert.equal(await page.locator('[data-testid="people-table"] tr[data-user-id]').getAttribute('data-user-id'), 'rep-phone');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});

describe('support', () => {
  it('creates a sandbox of the demo org, which starts with computer-based calling off, then enables it', async () => {
    const { context, page, problems } = await newPage(browser);
    const orgId = `sandbox-${Date.now().toString(36)}`;
    try {
      await signIn(page, 'support', '#/support');
      await page.getByTestId('new-org-name').fill('Acme UAT sandbox');
      await page.getByTestId('new-org-id').fill(orgId);
      await page.getByTestId('new-org-parent').fill('acme-demo');
      await page.getByTestId('create-org').click();
      assert.match(await page.getByTestId('org-created').textContent(), new RegExp(`\\(${orgId}\\), a sandbox of acme-demo`));
      const support = await apiAs('support');
      assert.equal((await support('GET', `/api/support/orgs/${orgId}`)).body.computerCallingEnabled, false);

      await page.getByTestId('support-org-id').fill(orgId);
      await page.getByTestId('enable-computer-calling').click();
      await page.getByTestId('support-saved').waitFor();
      await screenshot(page, 'support-sandbox-enabled');
      assert.equal((await support('GET', `/api/support/orgs/${orgId}`)).body.computerCallingEnabled, true);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});
