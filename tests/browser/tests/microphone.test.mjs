// The blocked-microphone banner. This browser runs without --use-fake-ui-for-media-stream, so Chromium's own
// permission handling decides, and the site's microphone permission is set to Block through the DevTools protocol
// (what a person does in Chrome's site settings).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { baseUrl, launch, newPage, numbers, screenshot, signIn, waitForPhase } from './harness.mjs';

let browser;
// Permission overrides last only while the DevTools session that set them is attached: keep one for the file.
let cdp;
before(async () => {
  browser = await launch({ microphonePrompt: true });
  cdp = await browser.newBrowserCDPSession();
});
after(async () => { await browser?.close(); });

/** Sets the microphone permission of the app's origin in the page's browser context: 'denied' (Block) or 'granted'. */
async function setMicrophone(page, setting) {
  const pageSession = await page.context().newCDPSession(page);
  const { targetInfo } = await pageSession.send('Target.getTargetInfo');
  await pageSession.detach();
  await cdp.send('Browser.setPermission', { permission: { name: 'microphone' }, setting, origin: baseUrl, browserContextId: targetInfo.browserContextId });
}

describe('blocked microphone', () => {
  it('shows the banner with Chrome site-settings steps when a computer-based call finds the microphone blocked, and re-checks', async () => {
    const { context, page, problems } = await newPage(browser);
    try {
      await setMicrophone(page, 'denied');
      await signIn(page, 'rep-both');
      assert.deepEqual(await page.evaluate(async () => {
        const state = (await navigator.permissions.query({ name: 'microphone' })).state;
        const error = await navigator.mediaDevices.getUserMedia({ audio: true }).then((s) => { s.getTracks().forEach((t) => t.stop()); return null; }, (e) => e.name);
        return { state, error };
      }), { state: 'denied', error: 'NotAllowedError' }, 'the browser itself refuses the microphone');

      await page.getByLabel('Number to call').fill(numbers.answers);
      await page.getByTestId('call-button').click();
      const banner = page.getByTestId('mic-blocked-banner');
      await banner.waitFor();
      await waitForPhase(page, 'ended');
      assert.equal(await page.getByTestId('call-error').textContent(), 'Microphone access is blocked for this site.');
      const text = await banner.textContent();
      for (const step of ['Your microphone is blocked', 'Site settings', 'Microphone', 'Allow', 'Check again']) assert.ok(text.includes(step), `banner says "${step}"`);
      assert.equal(await banner.getAttribute('role'), 'alert');
      await screenshot(page, 'dialer-microphone-blocked');

      await page.getByTestId('mic-check-again').click();
      await banner.getByText('Still blocked. Follow the steps above, then check again.').waitFor();

      await setMicrophone(page, 'granted');
      await page.getByTestId('mic-check-again').click();
      await banner.waitFor({ state: 'detached' });

      await page.getByTestId('nav-checklist').click();
      await page.locator('[data-testid="check-microphone"][data-status="pass"]').waitFor();
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('the checklist flags a blocked microphone with the same steps', async () => {
    const { context, page, problems } = await newPage(browser);
    try {
      await setMicrophone(page, 'denied');
      await signIn(page, 'rep-both', '#/checklist');
      await page.locator('[data-testid="check-microphone"][data-status="fail"]').waitFor();
      await page.getByTestId('check-microphone').getByTestId('mic-blocked-banner').waitFor();
      await page.locator('[data-testid="firewall-requirements"] [data-testid="signaling-table"]').waitFor();
      // The edge ranges from the API are listed (roaming: every edge location).
      await page.locator('[data-testid="edge-table"] tr').nth(5).waitFor();
      await screenshot(page, 'checklist-microphone-blocked');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});
