// The rep's dialer in the browser: computer-based and phone-based calls through the simulated Twilio.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiAs, browserCallSid, ensurePerson, eventually, launch, newPage, numbers, screenshot, signIn, simCall, waitForPhase } from './harness.mjs';

let browser;
before(async () => {
  // The seeded reps as the demo org defines them, whatever an earlier run or suite left behind.
  await ensurePerson('rep-both', { callingPreference: 'computer', permissionGroupId: 'both-methods' });
  await ensurePerson('rep-phone', { callingPreference: 'phone', permissionGroupId: 'phone-only' });
  browser = await launch();
});
after(async () => { await browser?.close(); });

describe('computer-based calling (rep-both)', () => {
  it('calls an answering number: ringing, in call with a timer, dial pad digits reach the call, END, disposition saved and listed', async () => {
    const { context, page, problems } = await newPage(browser);
    try {
      await signIn(page, 'rep-both');
      await page.getByTestId('calling-method').filter({ hasText: 'Computer-based calling' }).waitFor();

      await page.getByLabel('Number to call').fill('(201) 555-0100');
      assert.equal(await page.getByTestId('number-hint').textContent(), 'Will dial +1 201 555 0100');
      const sid = browserCallSid(page);
      await page.getByTestId('call-button').click();
      const callSid = await sid;

      await waitForPhase(page, 'ringing');
      assert.match(await page.getByTestId('call-status').textContent(), /^Ringing \+1 201 555 0100/);
      await waitForPhase(page, 'in-call');
      const status = page.getByTestId('call-status');
      assert.match(await status.textContent(), /^In call · 00:0\d$/);
      await page.waitForFunction(() => /In call · 00:0[1-9]/.test(document.querySelector('[data-testid="call-status"]').textContent));
      assert.equal(await page.getByTestId('call-pill').isVisible(), true, 'the header shows the live call');

      await page.getByRole('button', { name: 'Dial 1' }).click();
      await page.getByRole('button', { name: 'Dial 2' }).click();
      await page.getByRole('button', { name: 'Dial pound' }).click();
      await page.getByTestId('digits-sent').filter({ hasText: '12#' }).waitFor();
      await eventually(async () => (await simCall(callSid)).digits === '12#', { what: 'the simulator to record 12#' });
      await screenshot(page, 'dialer-in-call');

      await page.getByRole('button', { name: 'END call' }).click();
      await waitForPhase(page, 'ended');
      assert.match(await status.textContent(), /^Call ended · Connected · 00:0\d$/);
      await eventually(async () => (await simCall(callSid)).status === 'completed', { what: 'the simulated call to end' });

      const form = page.getByTestId('after-call-form');
      assert.equal(await form.getByTestId('disposition-select').inputValue(), 'connected', 'the outcome suggests the disposition');
      await form.getByTestId('disposition-select').selectOption('meeting-booked');
      const notes = 'Demo booked for Tuesday <b>10am</b>';
      await form.getByTestId('disposition-notes').fill(notes);
      assert.equal(await form.getByTestId('notes-counter').textContent(), `${notes.length} / 2000`);
      await form.getByTestId('save-disposition').click();
      await page.getByTestId('disposition-saved').waitFor();

      const row = page.locator(`[data-testid="recent-calls"] tr[data-call-sid="${callSid}"]`);
      await row.filter({ hasText: 'Meeting booked' }).waitFor();
      const text = await row.textContent();
      assert.match(text, /\+1 201 555 0100/);
      assert.match(text, /Computer-based calling/);
      assert.ok(text.includes(notes), 'notes are shown as text');
      assert.equal(await row.locator('b').count(), 0, 'caller-entered markup is never rendered');
      await screenshot(page, 'dialer-after-call');

      // The recording plays through our API with the bearer token into a blob: URL, never from a Twilio URL.
      await eventually(async () => {
        if (await row.getByTestId('play-recording').count()) return true;
        await page.getByTestId('refresh-recent-calls').click();
        return false;
      }, { what: 'the recording to be listed with a Play control', intervalMs: 500 });
      await row.getByTestId('play-recording').click();
      const audio = row.getByTestId('recording-audio');
      await audio.waitFor();
      assert.match(await audio.getAttribute('src'), /^blob:/);
      await page.waitForFunction((sid) => {
        const a = document.querySelector(`tr[data-call-sid="${sid}"] [data-testid="recording-audio"]`);
        return a && a.readyState >= 1 && a.duration > 0;
      }, callSid);
      assert.ok(!(await page.content()).includes('/Recordings/'), 'no Twilio recording URL on the page');
      await screenshot(page, 'dialer-recording');

      const rep = await apiAs('rep-both');
      const recent = await rep('GET', '/api/calls/recent');
      const activity = recent.body.items.find((a) => a.callSid === callSid);
      assert.equal(activity.disposition, 'meeting-booked');
      assert.equal(activity.notes, notes);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('shows the ended outcome Busy for a busy number, and takes a call-quality report for it', async () => {
    const { context, page, problems } = await newPage(browser);
    try {
      await signIn(page, 'rep-both');
      await page.getByLabel('Number to call').fill(numbers.busy);
      const sid = browserCallSid(page);
      await page.getByTestId('call-button').click();
      const callSid = await sid;
      await waitForPhase(page, 'ended');
      assert.match(await page.getByTestId('call-status').textContent(), /^Call ended · Busy$/);
      assert.equal(await page.getByTestId('disposition-select').inputValue(), 'busy');
      await screenshot(page, 'dialer-busy');

      await page.getByTestId('report-quality').click();
      const report = page.getByTestId('quality-report-form');
      await report.getByTestId('quality-score-2').check();
      await report.getByTestId('quality-issue-dropped-call').check();
      await report.getByTestId('quality-comment').fill('Dropped before it rang');
      await report.getByTestId('send-quality-report').click();
      await page.getByTestId('quality-report-sent').waitFor();
      const { body } = await (await apiAs('admin'))('GET', '/api/admin/quality-reports');
      const stored = body.items.find((r) => r.callSid === callSid);
      assert.deepEqual({ score: stored.score, issues: stored.issues, comment: stored.comment, reporter: stored.reporterUserId },
        { score: 2, issues: ['dropped-call'], comment: 'Dropped before it rang', reporter: 'rep-both' });
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('works from the keyboard: Tab reaches the dial pad and END with a visible focus ring, Enter presses them', async () => {
    const { context, page, problems } = await newPage(browser);
    try {
      await signIn(page, 'rep-both');
      await page.getByLabel('Number to call').fill(numbers.answers);
      const sid = browserCallSid(page);
      await page.getByLabel('Number to call').press('Enter');
      const callSid = await sid;
      await waitForPhase(page, 'in-call');

      // Start from the page, not from a control, and Tab forward to END.
      await page.getByRole('heading', { name: 'Dialer' }).click();
      const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName);
      let presses = 0;
      while ((await focused()) !== 'end-button') {
        assert.ok(++presses < 40, 'END is reachable with Tab');
        await page.keyboard.press('Tab');
      }
      const ring = await page.getByTestId('end-button').evaluate((el) => ({ visible: el.matches(':focus-visible'), outline: getComputedStyle(el).outlineStyle }));
      assert.deepEqual(ring, { visible: true, outline: 'solid' });

      await page.keyboard.press('Tab');
      assert.equal(await focused(), 'dtmf-1', 'the dial pad follows END in Tab order');
      await page.keyboard.press('Enter');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Space');
      await page.getByTestId('digits-sent').filter({ hasText: '12' }).waitFor();
      await eventually(async () => (await simCall(callSid)).digits === '12', { what: 'digits from the keyboard' });

      await page.keyboard.press('Shift+Tab');
      await page.keyboard.press('Shift+Tab');
      assert.equal(await focused(), 'end-button');
      await page.keyboard.press('Enter');
      await waitForPhase(page, 'ended');
      await eventually(async () => (await simCall(callSid)).status === 'completed', { what: 'the simulated call to end' });
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});

describe('phone-based calling (rep-phone)', () => {
  it('says answer your phone, follows the call-state endpoint (the simulated phone presses 1) to in call; END goes through /end', async () => {
    const { context, page, problems } = await newPage(browser);
    try {
      const states = [];
      page.on('response', async (r) => {
        if (/^\/api\/calls\/CA[0-9a-f]{32}\/state$/.test(new URL(r.url()).pathname) && r.ok()) states.push((await r.json()).state);
      });
      await signIn(page, 'rep-phone');
      await page.getByTestId('calling-method').filter({ hasText: 'Phone-based calling' }).waitFor();
      await page.getByLabel('Number to call').fill(numbers.answers);
      const placed = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/calls');
      await page.getByTestId('call-button').click();
      const callSid = (await (await placed).json()).callSid;
      assert.match(callSid, /^CA[0-9a-f]{32}$/);

      await waitForPhase(page, 'agent-ringing');
      assert.match(await page.getByTestId('call-status').textContent(), /^Answer your phone — we’re calling \+1 500 555 0002/);
      assert.ok(['queued', 'initiated', 'ringing'].includes((await simCall(callSid)).status), 'the rep\u2019s phone has not answered yet');
      await screenshot(page, 'dialer-phone-answer-your-phone');
      await waitForPhase(page, 'in-call', 20_000);
      assert.equal(states.at(-1), 'in-call', `the dialer followed /api/calls/{sid}/state: ${states.join(', ')}`);
      assert.ok(states.indexOf('in-call') > 0, 'earlier states were seen first');
      const events = await (await fetch(new URL(`/sim/events?callSid=${callSid}`, page.url()))).json();
      assert.ok(events.some((e) => e.kind === 'key-pressed'), 'the simulated phone pressed 1 before the prospect was dialed');
      assert.equal(await page.getByRole('button', { name: 'Dial 1' }).isDisabled(), true, 'phone-based calls use the phone\u2019s own keypad');

      const ended = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === `/api/calls/${callSid}/end`);
      await page.getByRole('button', { name: 'END call' }).click();
      assert.equal((await ended).status(), 200);
      await waitForPhase(page, 'ended');
      assert.match(await page.getByTestId('call-status').textContent(), /^Call ended · Connected/);
      const final = await eventually(async () => { const c = await simCall(callSid); return c.status === 'completed' && c.childStatus === 'completed' && c; }, { what: 'both legs to complete' });
      assert.equal(final.to, '+15005550002');
      await page.locator(`[data-testid="recent-calls"] tr[data-call-sid="${callSid}"]`).filter({ hasText: 'Phone-based calling' }).waitFor();
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});

describe('END always ends the call', () => {
  it('hangs up through the server when the browser\u2019s Device cannot reach Twilio: both legs end', async () => {
    const { context, page, problems } = await newPage(browser);
    try {
      await signIn(page, 'rep-both');
      await page.getByLabel('Number to call').fill(numbers.answers);
      const sid = browserCallSid(page);
      await page.getByTestId('call-button').click();
      const callSid = await sid;
      await waitForPhase(page, 'in-call');

      // The Device is gone: its own hang-up never reaches the (simulated) Twilio.
      await page.route('**/sim/calls/*/hangup', (route) => route.abort());
      const ended = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === `/api/calls/${callSid}/end`);
      await page.getByRole('button', { name: 'END call' }).click();
      assert.equal((await ended).status(), 200);
      await waitForPhase(page, 'ended');
      const final = await eventually(async () => { const c = await simCall(callSid); return c.status === 'completed' && c.childStatus === 'completed' && c; }, { what: 'the server to hang up both legs' });
      assert.equal(final.status, 'completed');
      assert.deepEqual(problems.filter((p) => !/sim\/calls\/.*\/hangup|ERR_FAILED/.test(p)), []);
    } finally {
      await context.close();
    }
  });
});
