// Voicemail drop in the browser: the rep records a greeting on Settings → Phone (the fake microphone, encoded to WAV in
// the page), then drops it on a call that reached the simulator's voicemail; the dialer is ready for the next number.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiAs, baseUrl, browserCallSid, ensurePerson, eventually, launch, newPage, screenshot, signIn, waitForPhase } from './harness.mjs';

const voicemail = '+12015550104';

let browser;
before(async () => {
  await ensurePerson('rep-both', { callingPreference: 'computer', permissionGroupId: 'both-methods' });
  const rep = await apiAs('rep-both');
  for (const greeting of (await rep('GET', '/api/me/greetings')).body.items) {
    await rep('DELETE', `/api/me/greetings/${greeting.id}`);
  }
  browser = await launch();
});
after(async () => { await browser?.close(); });

describe('voicemail drop (rep-both)', () => {
  it('records a greeting in the browser, drops it on a voicemail: the prospect leg plays it, the rep is free at once', async () => {
    const { context, page } = await newPage(browser);
    try {
      await signIn(page, 'rep-both', '#/settings/phone');
      const card = page.getByTestId('greetings');
      await card.getByText('No greetings yet.').waitFor();
      await card.getByTestId('greeting-name').fill('Sorry I missed you');
      await card.getByTestId('greeting-record').click();
      await card.getByTestId('greeting-recording').waitFor();
      await page.waitForTimeout(2500); // speak for about two seconds
      await card.getByRole('button', { name: 'Stop and save' }).click();
      await card.getByTestId('greeting-saved').waitFor();
      const label = await card.getByTestId('greeting-label').textContent();
      assert.match(label, /^Sorry I missed you \([23] s\)$/);
      await screenshot(page, 'greetings');

      await page.evaluate(() => { location.hash = '#/dialer'; });
      await page.getByLabel('Number to call').fill(voicemail);
      const sid = browserCallSid(page);
      await page.getByTestId('call-button').click();
      const callSid = await sid;
      await waitForPhase(page, 'in-call');
      const drop = page.getByTestId('voicemail-drop');
      await drop.waitFor();
      assert.equal(await drop.getByTestId('drop-greeting').locator('option:checked').textContent(), label);
      await drop.getByTestId('drop-voicemail').click();

      await page.getByTestId('voicemail-left').filter({ hasText: 'Voicemail left: Sorry I missed you' }).waitFor();
      await waitForPhase(page, 'ended');
      assert.equal(await page.getByLabel('Number to call').inputValue(), '', 'the number is cleared for the next call');
      assert.equal(await page.getByTestId('call-button').isEnabled(), true, 'ready for the next number');
      await screenshot(page, 'voicemail-dropped');

      const events = await eventually(async () => {
        const all = await (await fetch(`${baseUrl}/sim/events?callSid=${callSid}`)).json();
        return all.some((e) => e.kind === 'hangup' && e.parentCallSid === callSid) ? all : null;
      }, { what: 'the prospect leg to hang up after the greeting' });
      const child = events.find((e) => e.kind === 'play')?.callSid;
      assert.ok(child && child !== callSid, 'the greeting played on the prospect leg, not the rep\u2019s');
      assert.ok(events.some((e) => e.kind === 'media-fetched' && e.callSid === child && e.status === 200), 'fetched through its link');
    } finally {
      await context.close();
    }
  });
});
