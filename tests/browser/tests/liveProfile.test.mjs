// A manager's change reaches the rep's open dialer within 10 seconds, without a reload (the app polls GET /api/me
// with If-None-Match).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiAs, ensurePerson, launch, newPage, signIn } from './harness.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

describe('profile changes while the dialer is open', () => {
  // rep-both prefers computer-based calling; put that back whatever happens.
  const restore = () => ensurePerson('rep-both', { callingPreference: 'computer' });
  before(restore);
  after(restore);

  it('the dialer switches to phone-based within 10 s after the manager changes the preference, with no reload', async () => {
    const rep = await newPage(browser);
    try {
      const page = rep.page;
      await signIn(page, 'rep-both', '#/dialer');
      const method = page.getByTestId('calling-method');
      await method.filter({ hasText: /computer-based/i }).waitFor();
      await page.evaluate(() => { window.__sameDocument = true; });

      const manager = await apiAs('manager');
      const changed = await manager('PATCH', '/api/admin/people/rep-both', { callingPreference: 'phone' });
      assert.equal(changed.status, 200);
      const started = Date.now();

      await method.filter({ hasText: /phone-based/i }).waitFor({ timeout: 10_000 });
      assert.ok(Date.now() - started <= 10_000);
      assert.equal(await page.evaluate(() => window.__sameDocument), true, 'the page was not reloaded');
      assert.deepEqual(rep.problems, []);
    } finally {
      await rep.context.close();
    }
  });
});
