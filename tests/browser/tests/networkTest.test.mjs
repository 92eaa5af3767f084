// The checklist's network test (simulated: the preflight token, a test call on the simulator, the documented fake
// figures per edge) and the microphone level meter, which moves with Chromium's fake microphone (a beeping tone).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { baseUrl, eventually, launch, newPage, screenshot, signIn } from './harness.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

describe('checklist network test', () => {
  it('a phone-based rep runs the simulated network test and sees RTT, jitter, packet loss and MOS against the targets', async () => {
    const { context, page, problems } = await newPage(browser);
    try {
      await signIn(page, 'rep-phone', '#/checklist');
      await page.getByTestId('run-network-test').click();
      await page.getByTestId('simulated-preflight').waitFor();
      const network = page.getByTestId('check-network');
      assert.equal(await network.getAttribute('data-status'), 'pass');
      // The demo org tests the nearest edge (roaming), which the simulated device reports as ashburn.
      const edge = network.locator('[data-testid^="network-edge-"]').first();
      assert.match(await edge.locator('h4').textContent(), /^Edge: /);
      const row = (metric) => edge.locator(`tr[data-metric="${metric}"]`);
      assert.deepEqual(await row('rtt').locator('td').allTextContents(), ['Round-trip time (RTT)', '48 ms', 'under 200 ms', 'OK']);
      assert.deepEqual(await row('jitter').locator('td').allTextContents(), ['Jitter', '2.4 ms', 'under 30 ms', 'OK']);
      assert.deepEqual(await row('packetLoss').locator('td').allTextContents(), ['Packet loss', '0.2%', 'under 1%', 'OK']);
      assert.deepEqual((await row('mos').locator('td').allTextContents()).slice(1, 2), ['4.38']);
      assert.deepEqual((await row('bandwidth').locator('td').allTextContents()).slice(1, 3), ['80 kbps', 'about 100 kbps free per call']);

      // The test call went to the simulator with the preflight token: recorded and played back, never dialed.
      const events = await eventually(async () => {
        const all = await (await fetch(`${baseUrl}/sim/events`)).json();
        const played = all.filter((e) => e.kind === 'play' && /\/Recordings\/RE/.test(e.detail ?? ''));
        return played.length ? all : null;
      }, { timeoutMs: 20_000, what: 'the preflight call to play its recording back' });
      const preflightSid = events.find((e) => e.kind === 'play').callSid;
      assert.ok(events.some((e) => e.callSid === preflightSid && e.kind === 'twiml-request' && e.url.endsWith('/api/twilio/preflight')));
      assert.ok(!events.some((e) => e.parentCallSid === preflightSid), 'no child leg was dialed');
      await screenshot(page, 'checklist-network-test');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('the microphone level meter moves with the fake microphone and says the rep is heard', async () => {
    const { context, page, problems } = await newPage(browser);
    try {
      await signIn(page, 'rep-both', '#/checklist');
      const meter = page.getByTestId('mic-meter');
      assert.equal(await meter.getAttribute('data-heard'), 'false');
      await page.getByTestId('mic-meter-start').click();
      await page.locator('[data-testid="mic-meter"][data-heard="true"]').waitFor();
      assert.equal(await page.getByTestId('mic-level-status').textContent(), 'We hear you.');
      // "Heard" needs a frame at 0.05 or more (a beep); between beeps the fake microphone hums lower, so the level
      // rises and falls and must take more than two values.
      const levels = new Set();
      await eventually(async () => {
        levels.add(await page.getByTestId('mic-level').evaluate((m) => m.value));
        return levels.size > 2;
      }, { timeoutMs: 10_000, intervalMs: 100, what: 'the meter to move' });
      assert.ok(Math.max(...levels) > 0, `levels ${[...levels]}`);
      await screenshot(page, 'checklist-microphone-meter');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});
