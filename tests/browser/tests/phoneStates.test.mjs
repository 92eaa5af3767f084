// Phone-based calls where the rep's phone never really answers: the dialer's clear final states, and the prospect never dialed.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { baseUrl, ensurePerson, eventually, launch, newPage, numbers, screenshot, signIn, simCall, waitForPhase } from './harness.mjs';

/** The seeded rep-phone's own agent phone, put back after these tests. */
const seededAgentPhone = '+15005550002';
const agentNeverAnswers = '+12015550102';
const agentVoicemail = '+12015550104';

/** PUT /dev/people/{userId}/agent-phone: a verified agent phone no verification call could confirm (development only). */
async function giveAgentPhone(userId, agentPhoneNumber) {
  const res = await fetch(`${baseUrl}/dev/people/${userId}/agent-phone`, {
    method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ agentPhoneNumber }),
  });
  if (!res.ok) throw new Error(`PUT /dev/people/${userId}/agent-phone: ${res.status} ${await res.text()}`);
}

async function simEvents(callSid) {
  const res = await fetch(`${baseUrl}/sim/events?callSid=${encodeURIComponent(callSid)}`);
  if (!res.ok) throw new Error(`GET /sim/events: ${res.status}`);
  return res.json();
}

/** Places a phone-based call to the answering prospect from the dialer; the agent leg's SID. */
async function placePhoneCall(page) {
  await page.getByTestId('calling-method').filter({ hasText: 'Phone-based calling' }).waitFor();
  await page.getByLabel('Number to call').fill(numbers.answers);
  const placed = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/calls');
  await page.getByTestId('call-button').click();
  const response = await placed;
  assert.equal(response.status(), 201);
  return (await response.json()).callSid;
}

let browser;
before(async () => {
  await ensurePerson('rep-phone', { callingPreference: 'phone', permissionGroupId: 'phone-only' });
  browser = await launch();
});
after(async () => {
  await giveAgentPhone('rep-phone', seededAgentPhone);
  await browser?.close();
});

describe('phone-based calls the rep never answers (rep-phone)', () => {
  it('agent never answers: "Your phone did not answer" as the final state, and the prospect is never dialed', async () => {
    await giveAgentPhone('rep-phone', agentNeverAnswers);
    const { context, page, problems } = await newPage(browser);
    try {
      await signIn(page, 'rep-phone');
      const callSid = await placePhoneCall(page);
      await waitForPhase(page, 'agent-ringing');
      assert.match(await page.getByTestId('call-status').textContent(), /^Answer your phone — we’re calling \+1 201 555 0102/);

      // The agent leg rings for the REST call's 60 s (15 s at the browser tests' time scale), then ends no-answer.
      await waitForPhase(page, 'ended', 40_000);
      assert.equal(await page.getByTestId('call-status').textContent(), 'Your phone did not answer');
      await screenshot(page, 'dialer-phone-did-not-answer');
      const call = await simCall(callSid);
      assert.equal(call.status, 'no-answer');
      assert.equal(call.childCallSid ?? null, null, 'no prospect leg was ever created');
      assert.ok(!(await simEvents(callSid)).some((e) => e.kind === 'twiml-request'), 'our voice webhook was never asked to dial');
      // Final: the state stays put, and the dialer is ready for the next call.
      await page.waitForTimeout(1_000);
      assert.equal(await page.getByTestId('call-status').textContent(), 'Your phone did not answer');
      assert.equal(await page.getByTestId('call-button').isEnabled(), true);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('agent voicemail answers: the press-1 prompt goes unanswered, the call ends as not connected, and the prospect is never dialed', async () => {
    await giveAgentPhone('rep-phone', agentVoicemail);
    const { context, page, problems } = await newPage(browser);
    try {
      const states = [];
      page.on('response', async (r) => {
        if (/^\/api\/calls\/CA[0-9a-f]{32}\/state$/.test(new URL(r.url()).pathname) && r.ok()) states.push((await r.json()).state);
      });
      await signIn(page, 'rep-phone');
      const callSid = await placePhoneCall(page);
      await waitForPhase(page, 'ended', 40_000);
      assert.equal(await page.getByTestId('call-status').textContent(), 'Not connected: 1 was not pressed on your phone');
      await screenshot(page, 'dialer-phone-voicemail');

      const events = await simEvents(callSid);
      assert.equal(events.filter((e) => e.kind === 'gather-timeout').length, 2, 'the prompt was asked twice and timed out twice');
      assert.ok(!events.some((e) => e.kind === 'key-pressed'), 'no key was pressed');
      const call = await eventually(async () => { const c = await simCall(callSid); return c.status === 'completed' && c; }, { what: 'the agent leg to end' });
      assert.equal(call.childCallSid ?? null, null, 'the prospect was never dialed');
      assert.ok(states.includes('waiting-for-key'), `the dialer saw the prompt: ${states.join(', ')}`);
      assert.equal(states.at(-1), 'ended');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});
