// The dialer's caller-ID preview: the rep sees which number the prospect will see before dialing.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ensurePerson, launch, newPage, signIn } from './harness.mjs';

let browser;
before(async () => {
  await ensurePerson('rep-both', { callingPreference: 'computer', permissionGroupId: 'both-methods' });
  browser = await launch();
});
after(async () => { await browser?.close(); });

describe('caller-ID preview (rep-both)', () => {
  it('shows the number the prospect will see once a valid number is typed, and clears it for an invalid one', async () => {
    const { context, page } = await newPage(browser);
    try {
      await signIn(page, 'rep-both');
      const preview = page.getByTestId('caller-id-preview');

      await page.getByLabel('Number to call').fill('(201) 555-0100');
      await preview.filter({ hasText: 'The prospect will see' }).waitFor();
      const text = await preview.textContent();
      assert.match(text, /\+1 500 555 0006/, 'the demo org\u2019s caller ID');
      assert.match(text, /caller ID/);

      await page.getByLabel('Number to call').fill('12');
      await page.waitForFunction(() => document.querySelector('[data-testid="caller-id-preview"]').textContent === '');
    } finally {
      await context.close();
    }
  });
});
