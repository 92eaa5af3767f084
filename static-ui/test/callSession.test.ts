import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiClient } from '../src/api/client';
import { CallSession } from '../src/calling/callSession';
import { Emitter } from '../src/calling/emitter';
import type { DeviceOptions, VoiceCall, VoiceDevice } from '../src/calling/voice';
import { fakeFetch, me, type FakeRoute } from './fixtures';

class FakeCall extends Emitter {
  parameters: Record<string, string> = {};
  muted = false;
  digits: string[] = [];
  feedback: unknown[] = [];
  disconnect = vi.fn(() => this.fire('disconnect'));
  mute(m = true) { this.muted = m; }
  isMuted() { return this.muted; }
  sendDigits(d: string) { this.digits.push(d); }
  async postFeedback(score?: number, issue?: string) { this.feedback.push([score, issue]); }
  fire(event: string, ...args: unknown[]) { this.emit(event, ...args); }
}

class FakeDevice extends Emitter {
  audio = null;
  call = new FakeCall();
  tokens: string[] = [];
  connect = vi.fn(async () => this.call as unknown as VoiceCall);
  updateToken(t: string) { this.tokens.push(t); }
  disconnectAll() {}
  destroy() {}
  fire(event: string, ...args: unknown[]) { this.emit(event, ...args); }
}

function session(profile = me(), routes: FakeRoute[] = [], mic: { ok: true } | { ok: false; blocked: boolean; message: string } = { ok: true }) {
  let token = 0;
  const fake = fakeFetch([
    ...routes,
    { method: 'POST', path: '/api/calls/token', respond: () => ({ body: { token: `voice-${++token}` } }) },
    { method: 'GET', path: '/api/calls/recent', respond: () => ({ body: { items: [] } }) },
    { method: 'POST', path: '/api/quality-reports', respond: () => ({ status: 201, body: {} }) },
  ]);
  const api = new ApiClient('', { getToken: async () => 'bearer' }, () => {}, fake.fetchFn);
  const device = new FakeDevice();
  const created: [string, DeviceOptions][] = [];
  const s = new CallSession({
    api,
    me: () => profile,
    createDevice: async (t, o) => { created.push([t, o]); return device as unknown as VoiceDevice; },
    requestMicrophone: async () => mic,
    pollIntervalMs: 10,
    outcomeLookup: { attempts: 1, delayMs: 1 },
  });
  return { s, device, created, requests: fake.requests };
}

describe('CallSession, computer-based', () => {
  it('creates the Device on the first call with the org edges, PCMU first and close protection, and passes To and whoId', async () => {
    const { s, device, created } = session(me({ calling: { edges: ['ashburn', 'dublin'], codecPreferences: ['opus', 'pcmu'], recording: 'off' } }));
    await s.dial('+14155550100', '003abc');
    expect(created).toEqual([['voice-1', { edge: ['ashburn', 'dublin'], codecPreferences: ['opus', 'pcmu'], closeProtection: true }]]);
    expect(device.connect).toHaveBeenCalledWith({ params: { To: '+14155550100', whoId: '003abc' } });
    expect(s.snapshot().state.phase).toBe('connecting');
  });

  it('follows accept and disconnect, keeps the call SID for the disposition', async () => {
    const { s, device } = session();
    await s.dial('+14155550100');
    device.call.parameters.CallSid = 'CA42';
    device.call.fire('accept');
    expect(s.snapshot().state).toMatchObject({ phase: 'in-call', callSid: 'CA42' });
    s.sendDigits('5');
    s.toggleMute();
    expect(device.call.digits).toEqual(['5']);
    expect(s.snapshot().state).toMatchObject({ muted: true, digits: '5' });
    s.hangup();
    expect(device.call.disconnect).toHaveBeenCalled();
    expect(s.snapshot()).toMatchObject({ state: { phase: 'ended', outcome: 'connected' }, lastCallSid: 'CA42' });
  });

  it('refreshes the token on tokenWillExpire', async () => {
    const { s, device } = session();
    await s.prepareDevice();
    device.fire('tokenWillExpire', device);
    await vi.waitFor(() => expect(device.tokens).toEqual(['voice-2']));
  });

  it('shows the blocked-microphone banner when the browser refuses, without creating a Device', async () => {
    const { s, created } = session(me(), [], { ok: false, blocked: true, message: 'Microphone access is blocked for this site.' });
    await s.dial('+14155550100');
    expect(s.snapshot()).toMatchObject({ micBlocked: true, state: { phase: 'ended', outcome: 'failed', error: 'Microphone access is blocked for this site.' } });
    expect(created).toEqual([]);
  });

  it('treats SDK error 31401 as a blocked microphone and ends the call', async () => {
    const { s, device } = session();
    await s.dial('+14155550100');
    device.call.fire('error', { code: 31401, message: 'Permission denied' });
    expect(s.snapshot()).toMatchObject({ micBlocked: true, state: { phase: 'ended', outcome: 'failed' } });
  });

  it('raises the quality banner from samples and sends a report with the last samples and Twilio feedback', async () => {
    const { s, device, requests } = session();
    await s.dial('+14155550100');
    device.call.fire('accept');
    for (let i = 0; i < 3; i++) device.call.fire('sample', { rtt: 320, jitter: 2 });
    expect(s.snapshot().quality.messages).toEqual(['Network delay is 320 ms (should be under 200 ms).']);
    await s.reportQuality({ callSid: 'CA1', score: 2, issues: ['audio-latency', 'echo'], comment: 'laggy' });
    expect(device.call.feedback).toEqual([[2, 'audio-latency']]);
    const report = requests.find((r) => r.path === '/api/quality-reports')!;
    expect(report.body).toMatchObject({ callSid: 'CA1', score: 2, issues: ['audio-latency', 'echo'], comment: 'laggy' });
    expect((report.body as { samples: unknown[] }).samples).toHaveLength(3);
  });

  it('takes the outcome from recent calls after the browser leg ends (real telephony)', async () => {
    const { s, device } = session(me({ telephony: 'twilio' }), [
      { method: 'GET', path: '/api/calls/recent', respond: () => ({ body: { items: [{ callSid: 'CAchild', parentCallSid: 'CA7', status: 'no-answer' }] } }) },
    ]);
    await s.dial('+14155550100');
    device.call.parameters.CallSid = 'CA7';
    device.call.fire('disconnect');
    expect(s.snapshot().state).toMatchObject({ phase: 'ended', outcome: 'unknown' });
    await vi.waitFor(() => expect(s.snapshot().state).toMatchObject({ outcome: 'no-answer' }));
  });
});

describe('CallSession, phone-based', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('places the call through POST /api/calls, says answer your phone, then follows the simulator to in call and END', async () => {
    const statuses = [
      { status: 'ringing' },
      { status: 'in-progress', childStatus: 'ringing' },
      { status: 'in-progress', childStatus: 'in-progress' },
    ];
    let poll = 0;
    const { s, requests } = session(me({ callingPreference: 'phone', agentPhoneNumber: '+15005550002' }), [
      { method: 'POST', path: '/api/calls', respond: () => ({ status: 201, body: { callSid: 'CAagent' } }) },
      { method: 'GET', path: '/sim/calls/CAagent', respond: () => ({ body: statuses[Math.min(poll++, statuses.length - 1)] }) },
      { method: 'POST', path: '/api/calls/CAagent/end', respond: () => ({ status: 202, body: {} }) },
    ]);
    await s.dial('+14155550100');
    expect(requests.find((r) => r.path === '/api/calls')!.body).toEqual({ to: '+14155550100' });
    expect(s.snapshot().state).toMatchObject({ phase: 'agent-ringing', agentNumber: '+15005550002' });
    await vi.advanceTimersByTimeAsync(10);
    expect(s.snapshot().state.phase).toBe('agent-ringing');
    await vi.advanceTimersByTimeAsync(10);
    expect(s.snapshot().state.phase).toBe('ringing');
    await vi.advanceTimersByTimeAsync(10);
    expect(s.snapshot().state.phase).toBe('in-call');
    expect(s.canSendDigits()).toBe(false);
    s.hangup();
    await vi.advanceTimersByTimeAsync(1);
    expect(requests.some((r) => r.method === 'POST' && r.path === '/api/calls/CAagent/end')).toBe(true);
    expect(s.snapshot().state).toMatchObject({ phase: 'ended', outcome: 'connected' });
  });

  it('shows the server\u2019s refusal when the call can\u2019t be placed', async () => {
    const { s } = session(me({ callingPreference: 'phone' }), [
      { method: 'POST', path: '/api/calls', respond: () => ({ status: 400, body: { code: 'destination-country-not-allowed', field: 'to', detail: 'Calls to GB are not allowed in this org.' }, headers: { 'Content-Type': 'application/problem+json' } }) },
    ]);
    await s.dial('+442079460000');
    expect(s.snapshot().state).toMatchObject({ phase: 'ended', outcome: 'failed', error: 'Number to call: Calls to GB are not allowed in this org.' });
  });
});
