import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiClient } from '../src/api/client';
import { jwtExpiry, SimulatedDevice } from '../src/calling/simulatedDevice';
import { deviceOptions } from '../src/calling/voice';
import { fakeFetch } from './fixtures';

function deviceWith(statuses: Record<string, unknown>[], extra: Parameters<typeof fakeFetch>[0] = []) {
  let poll = 0;
  const fake = fakeFetch([
    { method: 'POST', path: '/sim/calls', respond: () => ({ body: { callSid: 'CAsim1' } }) },
    { method: 'GET', path: '/sim/calls/CAsim1', respond: () => ({ body: statuses[Math.min(poll++, statuses.length - 1)] }) },
    { method: 'POST', path: '/sim/calls/CAsim1/digits', respond: () => ({ status: 204 }) },
    { method: 'POST', path: '/sim/calls/CAsim1/hangup', respond: () => ({ status: 204 }) },
    ...extra,
  ]);
  const api = new ApiClient('', { getToken: async () => 'bearer' }, () => {}, fake.fetchFn);
  const device = new SimulatedDevice('voice-token', deviceOptions(['roaming'], ['pcmu', 'opus']), { api, pollIntervalMs: 10, mediaDevices: null });
  return { device, requests: fake.requests };
}

const tick = async (ms = 10) => {
  await vi.advanceTimersByTimeAsync(ms);
};

describe('SimulatedDevice', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('connects through POST /sim/calls with the voice token and the params', async () => {
    const { device, requests } = deviceWith([{ status: 'queued' }]);
    const call = await device.connect({ params: { To: '+14155550100', whoId: '003x' } });
    expect(requests[0]).toMatchObject({ method: 'POST', path: '/sim/calls', body: { token: 'voice-token', params: { To: '+14155550100', whoId: '003x' } } });
    expect(requests[0].headers).not.toHaveProperty('Authorization');
    expect(call.parameters.CallSid).toBe('CAsim1');
    device.destroy();
  });

  it('raises ringing, accept and disconnect like the SDK as the simulator reports progress', async () => {
    const { device } = deviceWith([
      { callSid: 'CAsim1', status: 'in-progress', childStatus: 'ringing', digits: '' },
      { callSid: 'CAsim1', status: 'in-progress', childStatus: 'in-progress', digits: '' },
      { callSid: 'CAsim1', status: 'completed', childStatus: 'completed', digits: '', duration: 12 },
    ]);
    const call = await device.connect({ params: { To: '+14155550100' } });
    const events: string[] = [];
    for (const name of ['ringing', 'accept', 'disconnect'] as const) call.on(name, () => events.push(name));
    await tick(); await tick(); await tick(); await tick();
    expect(events).toEqual(['ringing', 'accept', 'disconnect']);
    expect(call.outcome).toBe('connected');
  });

  it('accepts only at the bridge: not while the answered prospect still hears the recording disclosure', async () => {
    const { device } = deviceWith([
      { callSid: 'CAsim1', status: 'ringing', childStatus: 'in-progress', digits: '' },
      { callSid: 'CAsim1', status: 'ringing', childStatus: 'in-progress', digits: '' },
      { callSid: 'CAsim1', status: 'in-progress', childStatus: 'in-progress', digits: '' },
    ]);
    const call = await device.connect({ params: { To: '+14155550100' } });
    const accept = vi.fn();
    call.on('accept', accept);
    await tick(); await tick();
    expect(accept).not.toHaveBeenCalled();
    await tick(); await tick();
    expect(accept).toHaveBeenCalledTimes(1);
    device.destroy();
  });

  it('reports a busy prospect as the outcome without ever accepting', async () => {
    const { device } = deviceWith([{ status: 'in-progress', childStatus: 'ringing' }, { status: 'in-progress', childStatus: 'busy' }]);
    const call = await device.connect({ params: { To: '+15005550010' } });
    const accept = vi.fn();
    call.on('accept', accept);
    await tick(); await tick(); await tick();
    expect(accept).not.toHaveBeenCalled();
    expect(call.outcome).toBe('busy');
    expect(call.status()).toBe('closed');
  });

  it('sends DTMF digits and hangs up through the simulator', async () => {
    const { device, requests } = deviceWith([{ status: 'in-progress', childStatus: 'in-progress' }]);
    const call = await device.connect({ params: { To: '+14155550100' } });
    await tick();
    call.sendDigits('1#');
    expect(() => call.sendDigits('a')).toThrow(/0-9/);
    const disconnected = vi.fn();
    call.on('disconnect', disconnected);
    call.disconnect();
    await tick();
    expect(requests.filter((r) => r.method === 'POST').map((r) => [r.path, r.body])).toEqual([
      ['/sim/calls', { token: 'voice-token', params: { To: '+14155550100' } }],
      ['/sim/calls/CAsim1/digits', { digits: '1#' }],
      ['/sim/calls/CAsim1/hangup', {}],
    ]);
    expect(disconnected).toHaveBeenCalledOnce();
    expect(call.outcome).toBe('connected');
  });

  it('stops polling once the call is over', async () => {
    const { device, requests } = deviceWith([{ status: 'completed' }]);
    await device.connect({ params: { To: '+14155550100' } });
    await tick(); await tick(); await tick();
    expect(requests.filter((r) => r.method === 'GET')).toHaveLength(1);
  });

  it('stays connecting while only the browser leg rings, and rings once the prospect\u2019s leg does', async () => {
    const leg = { callSid: 'CAsim1', direction: 'inbound', from: 'client:acme_2Ddemo__rep_2Dboth', to: '+12015550100', digits: '', callbacksPending: 0 };
    const { device } = deviceWith([
      { ...leg, status: 'ringing' },
      { ...leg, status: 'ringing', childCallSid: 'CAchild', childStatus: 'initiated' },
      { ...leg, status: 'ringing', childCallSid: 'CAchild', childStatus: 'ringing' },
      { ...leg, status: 'in-progress', childCallSid: 'CAchild', childStatus: 'in-progress' },
    ]);
    const call = await device.connect({ params: { To: '+12015550100' } });
    const events: string[] = [];
    for (const name of ['ringing', 'accept'] as const) call.on(name, () => events.push(name));
    await tick(); await tick();
    expect(call.status()).toBe('connecting');
    expect(events).toEqual([]);
    await tick();
    expect(events).toEqual(['ringing']);
    await tick();
    expect(events).toEqual(['ringing', 'accept']);
    device.destroy();
  });

  it('raises an SDK-style error and fails the call when the simulator ends it with an error', async () => {
    const { device } = deviceWith([
      { callSid: 'CAsim1', status: 'failed', digits: '', callbacksPending: 0, error: '11200: the voice URL answered 500.' },
    ]);
    const call = await device.connect({ params: { To: '+12015550100' } });
    const errors: { code?: number; message?: string }[] = [];
    call.on('error', (e) => {
      errors.push(e);
      call.disconnect();
    });
    await tick();
    expect(errors).toEqual([{ code: 11200, message: 'The call could not be connected (11200: the voice URL answered 500.)' }]);
    expect(call.outcome).toBe('failed');
  });

  it('ends the call with an error after repeated polling failures', async () => {
    const fake = fakeFetch([{ method: 'POST', path: '/sim/calls', respond: () => ({ body: { callSid: 'CAgone' } }) }]);
    const api = new ApiClient('', { getToken: async () => null }, () => {}, fake.fetchFn);
    const device = new SimulatedDevice('t', deviceOptions([], []), { api, pollIntervalMs: 10, mediaDevices: null });
    const call = await device.connect({ params: { To: '+14155550100' } });
    const errors: unknown[] = [];
    call.on('error', (e) => errors.push(e));
    for (let i = 0; i < 6; i++) await tick();
    expect(errors).toHaveLength(1);
    expect(call.outcome).toBe('failed');
  });

  it('emits tokenWillExpire 10 s before the token expires, and again after updateToken', async () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    vi.setSystemTime(now);
    const jwt = (exp: number) => `h.${btoa(JSON.stringify({ exp })).replace(/=+$/, '')}.s`;
    const api = new ApiClient('', { getToken: async () => null }, () => {}, fakeFetch([]).fetchFn);
    const device = new SimulatedDevice(jwt(now / 1000 + 60), deviceOptions([], []), { api, mediaDevices: null });
    const expiring = vi.fn();
    device.on('tokenWillExpire', expiring);
    await vi.advanceTimersByTimeAsync(49_000);
    expect(expiring).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(expiring).toHaveBeenCalledOnce();
    device.updateToken(jwt(now / 1000 + 200));
    expect(device.currentToken).toContain('.');
    await vi.advanceTimersByTimeAsync(140_000);
    expect(expiring).toHaveBeenCalledTimes(2);
  });
});

describe('SimulatedAudioHelper', () => {
  it('lists devices from enumerateDevices and reports the active microphone when it disappears', async () => {
    let devices = [
      { kind: 'audioinput', deviceId: 'mic-1', label: 'Headset mic' },
      { kind: 'audiooutput', deviceId: 'spk-1', label: 'Headset' },
    ] as MediaDeviceInfo[];
    let onChange: (() => void) | undefined;
    const mediaDevices = { enumerateDevices: async () => devices, addEventListener: (_: string, l: () => void) => { onChange = l; } };
    const api = new ApiClient('', { getToken: async () => null }, () => {}, fakeFetch([]).fetchFn);
    const device = new SimulatedDevice('t', deviceOptions([], []), { api, mediaDevices: mediaDevices as never });
    await device.audio.refresh();
    expect([...device.audio.availableInputDevices.keys()]).toEqual(['mic-1']);
    await device.audio.setInputDevice('mic-1');
    await device.audio.speakerDevices.set('spk-1');
    const lost = vi.fn();
    device.audio.on('deviceChange', lost);
    devices = [{ kind: 'audiooutput', deviceId: 'spk-1', label: 'Headset' } as MediaDeviceInfo];
    onChange!();
    await vi.waitFor(() => expect(lost).toHaveBeenCalled());
    expect(lost.mock.calls.at(-1)![0].map((d: MediaDeviceInfo) => d.deviceId)).toEqual(['mic-1']);
    await expect(device.audio.setInputDevice('mic-1')).rejects.toThrow(/no longer connected/);
  });
});

describe('jwtExpiry', () => {
  it('reads exp from a JWT and returns null otherwise', () => {
    expect(jwtExpiry(`a.${btoa('{"exp":123}')}.b`)).toBe(123);
    expect(jwtExpiry('not-a-jwt')).toBeNull();
  });
});
