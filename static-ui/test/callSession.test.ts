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

function session(profile = me(), routes: FakeRoute[] = [], mic: { ok: true } | { ok: false; blocked: boolean; message: string } = { ok: true }, deviceOptionsFromServer?: Record<string, unknown>) {
  let token = 0;
  const fake = fakeFetch([
    ...routes,
    { method: 'POST', path: '/api/calls/token', respond: () => ({ body: { token: `voice-${++token}`, identity: 'acme_2Ddemo__rep_2Dboth', expiresAt: '2026-11-26T05:25:39+00:00', device: deviceOptionsFromServer } }) },
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

  it('creates the Device with the options the token response carries, close-protection text included', async () => {
    const { s, created } = session(me(), [], { ok: true }, { edge: ['dublin', 'roaming'], codecPreferences: ['pcmu', 'opus'], closeProtection: 'A call is in progress. Leaving this page will end it.' });
    await s.dial('+14155550100');
    expect(created).toEqual([['voice-1', { edge: ['dublin', 'roaming'], codecPreferences: ['pcmu', 'opus'], closeProtection: 'A call is in progress. Leaving this page will end it.' }]]);
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

  it('sends only the sample fields the API accepts, since it refuses unknown ones', async () => {
    const { s, device, requests } = session();
    await s.dial('+14155550100');
    device.call.fire('accept');
    // An SDK RTCSample has more than the API takes (totals, and sometimes a null MOS).
    device.call.fire('sample', { timestamp: 1764134400000, rtt: 80, jitter: 3, mos: null, packetsLost: 0, packetsLostFraction: 0, packetsReceived: 50, bytesReceived: 8000, bytesSent: 8000, audioInputLevel: 120, audioOutputLevel: 300, codecName: 'pcmu', totals: { packetsLost: 0 } });
    await s.reportQuality({ callSid: 'CA1', score: 4, issues: [], comment: '' });
    const report = requests.find((r) => r.path === '/api/quality-reports')!;
    expect((report.body as { samples: unknown[] }).samples).toEqual([
      { timestamp: 1764134400000, rtt: 80, jitter: 3, packetsLost: 0, packetsLostFraction: 0, packetsReceived: 50, bytesReceived: 8000, bytesSent: 8000, audioInputLevel: 120, audioOutputLevel: 300, codecName: 'pcmu' },
    ]);
  });

  it('takes the outcome from recent calls after the browser leg ends (real telephony)', async () => {
    const { s, device } = session(me({ telephony: 'twilio' }), [
      { method: 'GET', path: '/api/calls/recent', respond: () => ({ body: { items: [
        { callSid: 'CAother', prospectCallSid: 'CAx', method: 'computer', status: 'busy', outcome: 'busy' },
        { callSid: 'CA7', prospectCallSid: 'CAchild', method: 'computer', prospectNumber: '+14155550100', status: 'no-answer', outcome: 'no-answer', durationSeconds: 0 },
      ], continuationToken: null } }) },
    ]);
    await s.dial('+14155550100');
    device.call.parameters.CallSid = 'CA7';
    device.call.fire('disconnect');
    expect(s.snapshot().state).toMatchObject({ phase: 'ended', outcome: 'unknown' });
    await vi.waitFor(() => expect(s.snapshot().state).toMatchObject({ outcome: 'no-answer' }));
  });
});

describe('CallSession.releaseDevice', () => {
  it('destroys the Device between calls, and the next call creates a new one', async () => {
    const { s, device, created } = session();
    const destroy = vi.spyOn(device, 'destroy');
    await s.prepareDevice();

    expect(s.releaseDevice()).toBe(true);

    expect(destroy).toHaveBeenCalledTimes(1);
    expect(s.audioDevice).toBeNull();
    await s.dial('+14155550100');
    expect(created).toHaveLength(2);
  });

  it('keeps the Device and the call while a call is in progress', async () => {
    const { s, device } = session();
    const destroy = vi.spyOn(device, 'destroy');
    await s.dial('+14155550100');
    device.call.fire('accept');

    expect(s.releaseDevice()).toBe(false);

    expect(destroy).not.toHaveBeenCalled();
    expect(device.call.disconnect).not.toHaveBeenCalled();
    expect(s.snapshot().state.phase).toBe('in-call');
  });
});

describe('CallSession, phone-based', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('places the call through POST /api/calls, then follows the call state: answer your phone, press 1, connecting, in call, END', async () => {
    const states = [
      { callSid: 'CAagent', state: 'ringing' },
      { callSid: 'CAagent', state: 'waiting-for-key' },
      { callSid: 'CAagent', state: 'connecting' },
      { callSid: 'CAagent', state: 'in-call', connectedAt: '2026-11-26T05:00:00Z' },
    ];
    let poll = 0;
    const { s, requests } = session(me({ callingPreference: 'phone', agentPhoneNumber: '+15005550002' }), [
      { method: 'POST', path: '/api/calls', respond: () => ({ status: 201, body: { callSid: 'CAagent' } }) },
      { method: 'GET', path: '/api/calls/CAagent/state', respond: () => ({ body: states[Math.min(poll++, states.length - 1)] }) },
      { method: 'POST', path: '/api/calls/CAagent/end', respond: () => ({ body: { ended: true } }) },
    ]);
    await s.dial('+14155550100');
    expect(requests.find((r) => r.path === '/api/calls')!.body).toEqual({ to: '+14155550100' });
    expect(s.snapshot().state).toMatchObject({ phase: 'agent-ringing', agentNumber: '+15005550002' });
    await vi.advanceTimersByTimeAsync(10);
    expect(s.snapshot().state.phase).toBe('agent-ringing');
    await vi.advanceTimersByTimeAsync(10);
    expect(s.snapshot().state.phase).toBe('agent-key');
    await vi.advanceTimersByTimeAsync(10);
    expect(s.snapshot().state.phase).toBe('ringing');
    await vi.advanceTimersByTimeAsync(10);
    expect(s.snapshot().state.phase).toBe('in-call');
    expect(s.canSendDigits()).toBe(false);
    expect(requests.some((r) => r.path.startsWith('/sim/'))).toBe(false);
    s.hangup();
    await vi.advanceTimersByTimeAsync(1);
    expect(requests.some((r) => r.method === 'POST' && r.path === '/api/calls/CAagent/end')).toBe(true);
    expect(s.snapshot().state).toMatchObject({ phase: 'ended', outcome: 'connected' });
  });

  it('ends with "your phone did not answer" when the agent leg is never answered', async () => {
    let poll = 0;
    const { s, requests } = session(me({ callingPreference: 'phone', agentPhoneNumber: '+12015550102' }), [
      { method: 'POST', path: '/api/calls', respond: () => ({ status: 201, body: { callSid: 'CAagent' } }) },
      { method: 'GET', path: '/api/calls/CAagent/state', respond: () => ({ body: poll++ < 2 ? { state: 'ringing' } : { state: 'ended', reason: 'agent-no-answer' } }) },
    ]);
    await s.dial('+14155550100');
    await vi.advanceTimersByTimeAsync(50);
    expect(s.snapshot().state).toMatchObject({ phase: 'ended', outcome: 'agent-no-answer' });
    const polls = requests.filter((r) => r.path === '/api/calls/CAagent/state').length;
    await vi.advanceTimersByTimeAsync(100);
    expect(requests.filter((r) => r.path === '/api/calls/CAagent/state').length).toBe(polls);
  });

  it('ends not connected when the agent leg hangs up without a key (voicemail)', async () => {
    let poll = 0;
    const { s } = session(me({ callingPreference: 'phone' }), [
      { method: 'POST', path: '/api/calls', respond: () => ({ status: 201, body: { callSid: 'CAagent' } }) },
      { method: 'GET', path: '/api/calls/CAagent/state', respond: () => ({ body: poll++ < 1 ? { state: 'waiting-for-key' } : { state: 'ended', reason: 'agent-declined' } }) },
    ]);
    await s.dial('+14155550100');
    await vi.advanceTimersByTimeAsync(10);
    expect(s.snapshot().state.phase).toBe('agent-key');
    await vi.advanceTimersByTimeAsync(10);
    expect(s.snapshot().state).toMatchObject({ phase: 'ended', outcome: 'agent-declined' });
  });

  it('shows the server\u2019s refusal when the call can\u2019t be placed', async () => {
    const { s } = session(me({ callingPreference: 'phone' }), [
      { method: 'POST', path: '/api/calls', respond: () => ({ status: 400, body: { code: 'destination-country-not-allowed', field: 'to', detail: 'Calls to GB are not allowed in this org.' }, headers: { 'Content-Type': 'application/problem+json' } }) },
    ]);
    await s.dial('+442079460000');
    expect(s.snapshot().state).toMatchObject({ phase: 'ended', outcome: 'failed', error: 'Number to call: Calls to GB are not allowed in this org.' });
  });
});

describe('CallSession, END of a browser call', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const endRoute: FakeRoute = { method: 'POST', path: '/api/calls/CAbrowser/end', respond: () => ({ body: { ended: true } }) };

  async function inCall(routes: FakeRoute[] = [endRoute]) {
    const env = session(me(), routes);
    await env.s.dial('+14155550100');
    env.device.call.parameters = { CallSid: 'CAbrowser' };
    env.device.call.fire('accept');
    return env;
  }

  it('hangs up through the server when the disconnect throws', async () => {
    const { s, device, requests } = await inCall();
    device.call.disconnect = vi.fn(() => { throw new Error('the Device is gone'); });
    s.hangup();
    await vi.advanceTimersByTimeAsync(1);
    expect(requests.some((r) => r.method === 'POST' && r.path === '/api/calls/CAbrowser/end')).toBe(true);
    expect(s.snapshot().state.phase).toBe('ended');
  });

  it('hangs up through the server and ends here when no disconnect event follows', async () => {
    const { s, device, requests } = await inCall();
    device.call.disconnect = vi.fn(() => {});
    s.hangup();
    await vi.advanceTimersByTimeAsync(1);
    expect(requests.some((r) => r.method === 'POST' && r.path === '/api/calls/CAbrowser/end')).toBe(true);
    expect(s.snapshot().state.phase).toBe('ending');
    await vi.advanceTimersByTimeAsync(3000);
    expect(s.snapshot().state.phase).toBe('ended');
  });

  it('also asks the server after a clean disconnect, and a refusal there is not shown', async () => {
    const { s, requests } = await inCall([{ method: 'POST', path: '/api/calls/CAbrowser/end', respond: () => ({ status: 404, body: { code: 'not-found' }, headers: { 'Content-Type': 'application/problem+json' } }) }]);
    s.hangup();
    await vi.advanceTimersByTimeAsync(5000);
    expect(requests.some((r) => r.method === 'POST' && r.path === '/api/calls/CAbrowser/end')).toBe(true);
    expect(s.snapshot().state).toMatchObject({ phase: 'ended', outcome: 'connected' });
    expect((s.snapshot().state as { error?: string }).error).toBeUndefined();
  });
});
