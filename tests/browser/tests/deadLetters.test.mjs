// The Failed events page: a call event the activity writer gave up on is listed, replayed from the page, and lands in its activity.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiAs, baseUrl, eventually, launch, newPage, screenshot, signIn } from './harness.mjs';

/** POST /dev/call-events/dead-letter: a finished call's last status event, dead-lettered as the writer does after its last failed attempt. */
async function poisonCallEvent(userId) {
  const res = await fetch(`${baseUrl}/dev/call-events/dead-letter`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ userId }),
  });
  if (res.status !== 201) throw new Error(`POST /dev/call-events/dead-letter: ${res.status} ${await res.text()}`);
  return res.json();
}

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

describe('failed call events (admin)', () => {
  it('shows a dead-lettered event with its reason, replays it from the page, and the call reaches its activity', async () => {
    const { callSid, prospectCallSid } = await poisonCallEvent('rep-both');
    const rep = await apiAs('rep-both');
    assert.ok(!(await rep('GET', '/api/calls/recent')).body.items.some((a) => a.callSid === callSid), 'the call has no activity yet');

    const { context, page, problems } = await newPage(browser);
    try {
      await signIn(page, 'admin', '#/manage/failed-events');
      const row = page.getByTestId('dead-letters-table').locator('tr').filter({ hasText: prospectCallSid });
      await row.waitFor();
      assert.match(await row.textContent(), /Kept failing \(storage or CRM down too long\)/);
      await screenshot(page, 'manage-failed-events');

      const replayed = page.waitForResponse((r) => r.request().method() === 'POST' && /\/api\/admin\/dead-letters\/.+\/replay$/.test(new URL(r.url()).pathname));
      await row.getByTestId('dead-letter-replay').click();
      assert.equal((await replayed).status(), 200);
      assert.equal(await page.getByTestId('dead-letters-status').textContent(), 'Replayed 1 event.');
      await row.waitFor({ state: 'detached' });

      const activity = await eventually(async () => (await rep('GET', '/api/calls/recent')).body.items.find((a) => a.callSid === callSid),
        { timeoutMs: 20_000, what: 'the replayed event to reach its activity' });
      assert.equal(activity.status, 'completed');
      assert.equal(activity.outcome, 'connected');
      assert.equal(activity.prospectCallSid, prospectCallSid);
      assert.equal(activity.durationSeconds, 42);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});
