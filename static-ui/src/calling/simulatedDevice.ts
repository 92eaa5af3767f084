// A stand-in for the Twilio Voice SDK's Device and Call when the API says telephony is simulated.
// It drives the dev server's Twilio simulator over HTTP and raises the same events as the SDK.

import type { ApiClient } from '../api/client';
import { outcomeFromStatus, terminalStatuses, type Outcome } from '../dialer/callMachine';
import { Emitter } from './emitter';
import { fetchSimStatus, StatusPoller, type SimCallStatus } from './simPolling';
import type { DeviceOptions, VoiceAudio, VoiceCall, VoiceDevice, VoiceOutputDevices } from './voice';

export interface SimulatedDeviceDeps {
  api: ApiClient;
  pollIntervalMs?: number;
  mediaDevices?: Pick<MediaDevices, 'enumerateDevices' | 'addEventListener'> | null;
  now?: () => number;
}

const dtmf = /^[0-9*#wW]+$/;
const giveUpAfterFailures = 5;

export class SimulatedCall extends Emitter implements VoiceCall {
  readonly parameters: Record<string, string>;
  /** Not in the SDK: the outcome the simulator reported, for the dialer's ended state. */
  outcome: Outcome | undefined;
  private muted = false;
  private answered = false;
  private ringing = false;
  private finished = false;
  /** The simulator ended the call with an error; a disconnect from the listener must not call it cancelled. */
  private failed = false;
  private readonly poller: StatusPoller<SimCallStatus>;

  constructor(
    readonly callSid: string,
    params: Record<string, string>,
    private readonly api: ApiClient,
    pollIntervalMs: number,
  ) {
    super();
    this.parameters = { ...params, CallSid: callSid };
    this.poller = new StatusPoller(
      () => fetchSimStatus(api, callSid),
      (status) => this.apply(status),
      (error, consecutive) => {
        if (consecutive === giveUpAfterFailures) {
          this.emit('error', { code: 31005, message: 'Lost contact with the call. It has been ended.', originalError: error });
          this.finish('failed');
        }
      },
      pollIntervalMs,
    );
  }

  start(): void {
    this.poller.start();
  }

  status(): string {
    return this.finished ? 'closed' : this.answered ? 'open' : this.ringing ? 'ringing' : 'connecting';
  }

  isMuted(): boolean {
    return this.muted;
  }

  mute(shouldMute = true): void {
    if (this.muted === shouldMute) return;
    this.muted = shouldMute;
    this.emit('mute', shouldMute, this);
  }

  sendDigits(digits: string): void {
    if (!dtmf.test(digits)) throw new Error('Digits must be 0-9, *, # or w.');
    if (this.finished) return;
    this.api.post(`/sim/calls/${encodeURIComponent(this.callSid)}/digits`, { digits }, { anonymous: true })
      .catch((error) => this.emit('error', { code: 31000, message: 'The digits could not be sent.', originalError: error }));
  }

  disconnect(): void {
    if (this.finished) return;
    if (this.failed) {
      this.finish('failed');
      return;
    }
    this.api.post(`/sim/calls/${encodeURIComponent(this.callSid)}/hangup`, {}, { anonymous: true }).catch(() => {
      // The call is over for the rep either way; the simulator ends it on its own timeout.
    });
    this.finish(this.answered ? 'connected' : 'canceled');
  }

  postFeedback(): Promise<void> {
    return Promise.resolve();
  }

  /** Feeds one status report from the simulator; public for tests. */
  apply(status: SimCallStatus): void {
    if (this.finished) return;
    const parentDone = terminalStatuses.has(status.status);
    const childDone = status.childStatus !== undefined && terminalStatuses.has(status.childStatus);
    if (status.error && (parentDone || childDone)) {
      // Like the SDK's call error: the call could not be set up (e.g. the voice webhook failed).
      const code = Number(/^(\d+):/.exec(status.error)?.[1]);
      this.failed = true;
      this.emit('error', { code: Number.isFinite(code) ? code : 31000, message: `The call could not be connected (${status.error})` });
      this.finish('failed');
      return;
    }
    if (parentDone || childDone) {
      const decisive = status.childStatus ?? status.status;
      this.finish(outcomeFromStatus(decisive, this.answered || decisive === 'completed') ?? 'unknown');
      return;
    }
    // The browser leg itself rings while our voice webhook answers; only the prospect's leg ringing counts.
    const prospect = status.childStatus ?? (status.status === 'in-progress' ? 'in-progress' : undefined);
    if (prospect === 'ringing' && !this.ringing && !this.answered) {
      this.ringing = true;
      this.emit('ringing', false);
    }
    // answerOnBridge: the browser leg is answered at the bridge, after anything the prospect hears first (the disclosure).
    if (prospect === 'in-progress' && status.status === 'in-progress' && !this.answered) {
      this.answered = true;
      this.emit('accept', this);
    }
  }

  private finish(outcome: Outcome): void {
    if (this.finished) return;
    this.finished = true;
    this.outcome = outcome;
    this.poller.stop();
    this.emit('disconnect', this);
  }
}

class SimulatedOutputDevices implements VoiceOutputDevices {
  private selected = new Set<MediaDeviceInfo>();

  constructor(private readonly available: Map<string, MediaDeviceInfo>) {}

  get(): Set<MediaDeviceInfo> {
    return this.selected;
  }

  async set(deviceIdOrIds: string | string[]): Promise<void> {
    const ids = Array.isArray(deviceIdOrIds) ? deviceIdOrIds : [deviceIdOrIds];
    const devices = ids.map((id) => this.available.get(id));
    if (devices.some((d) => !d)) throw new Error('That speaker is no longer connected.');
    this.selected = new Set(devices as MediaDeviceInfo[]);
  }
}

export class SimulatedAudioHelper extends Emitter implements VoiceAudio {
  readonly availableInputDevices = new Map<string, MediaDeviceInfo>();
  readonly availableOutputDevices = new Map<string, MediaDeviceInfo>();
  readonly speakerDevices = new SimulatedOutputDevices(this.availableOutputDevices);
  readonly isOutputSelectionSupported = typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype;
  inputDevice: MediaDeviceInfo | null = null;

  constructor(private readonly mediaDevices: SimulatedDeviceDeps['mediaDevices']) {
    super();
    mediaDevices?.addEventListener?.('devicechange', () => void this.refresh());
  }

  async refresh(): Promise<void> {
    if (!this.mediaDevices) return;
    const devices = await this.mediaDevices.enumerateDevices();
    this.availableInputDevices.clear();
    this.availableOutputDevices.clear();
    for (const d of devices) {
      if (d.kind === 'audioinput') this.availableInputDevices.set(d.deviceId, d);
      if (d.kind === 'audiooutput') this.availableOutputDevices.set(d.deviceId, d);
    }
    const lost: MediaDeviceInfo[] = [];
    if (this.inputDevice && !this.availableInputDevices.has(this.inputDevice.deviceId)) {
      lost.push(this.inputDevice);
      this.inputDevice = null;
    }
    for (const speaker of this.speakerDevices.get()) {
      if (!this.availableOutputDevices.has(speaker.deviceId)) lost.push(speaker);
    }
    this.emit('deviceChange', lost);
  }

  async setInputDevice(deviceId: string): Promise<void> {
    const device = this.availableInputDevices.get(deviceId);
    if (!device) throw new Error('That microphone is no longer connected.');
    this.inputDevice = device;
  }
}

/** Reads a JWT's exp (seconds) without verifying it; null when it isn't a JWT. */
export function jwtExpiry(token: string): number | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const json = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: unknown };
    return typeof json.exp === 'number' ? json.exp : null;
  } catch {
    return null;
  }
}

export class SimulatedDevice extends Emitter implements VoiceDevice {
  readonly audio: SimulatedAudioHelper;
  private token: string;
  private readonly calls = new Set<SimulatedCall>();
  private expiryTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly pollIntervalMs: number;
  private readonly now: () => number;

  constructor(token: string, readonly options: DeviceOptions, private readonly deps: SimulatedDeviceDeps) {
    super();
    this.token = token;
    this.pollIntervalMs = deps.pollIntervalMs ?? 500;
    this.now = deps.now ?? Date.now;
    const media = deps.mediaDevices === undefined ? (typeof navigator !== 'undefined' ? navigator.mediaDevices ?? null : null) : deps.mediaDevices;
    this.audio = new SimulatedAudioHelper(media);
    void this.audio.refresh().catch(() => undefined);
    this.scheduleExpiry();
  }

  get currentToken(): string {
    return this.token;
  }

  async connect(options: { params: Record<string, string> }): Promise<SimulatedCall> {
    const { callSid } = await this.deps.api.post<{ callSid: string }>('/sim/calls', { token: this.token, params: options.params }, { anonymous: true });
    const call = new SimulatedCall(callSid, options.params, this.deps.api, this.pollIntervalMs);
    this.calls.add(call);
    call.on('disconnect', () => this.calls.delete(call));
    call.start();
    return call;
  }

  updateToken(token: string): void {
    this.token = token;
    this.scheduleExpiry();
  }

  disconnectAll(): void {
    for (const call of [...this.calls]) call.disconnect();
  }

  destroy(): void {
    this.disconnectAll();
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    this.removeAllListeners();
  }

  private scheduleExpiry(): void {
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    const exp = jwtExpiry(this.token);
    if (exp === null) return;
    // Like the SDK: warn 10 s before the token expires.
    const delay = Math.max(0, exp * 1000 - this.now() - 10_000);
    this.expiryTimer = setTimeout(() => this.emit('tokenWillExpire', this), delay);
  }
}

/**
 * The figures every simulated network test reports (documented in static-ui/README.md). They are fixed, so a
 * simulated report never passes for a real measurement: 48 ms RTT, 2.4 ms jitter, 1 packet lost of 500 (0.2 %),
 * MOS 4.38, 80 kbps each way over a 10 s test (G.711 at 64 kbps plus packet headers). Roaming reports edge ashburn,
 * as Twilio reports the edge it actually chose.
 */
export const simulatedPreflightFigures = {
  rttMs: 48,
  jitterMs: 2.4,
  mos: 4.38,
  packetsLost: 1,
  packetsReceived: 499,
  durationMs: 10_000,
  bytesEachWay: 100_000,
  roamingEdge: 'ashburn',
} as const;

/**
 * The simulated Device.runPreflight: the test call goes to the simulator with the preflight token (which checks the
 * token's grant and runs the preflight TwiML: say, record, play back), and the report carries the fixed figures above
 * in the SDK's PreflightTest.Report shape.
 */
export async function runSimulatedPreflight(api: ApiClient, token: string, edge: string) {
  const { callSid } = await api.post<{ callSid: string }>('/sim/calls', { token, params: {} }, { anonymous: true });
  const f = simulatedPreflightFigures;
  return {
    callSid,
    edge: edge === 'roaming' ? f.roamingEdge : edge,
    selectedEdge: edge,
    stats: { rtt: { average: f.rttMs }, jitter: { average: f.jitterMs }, mos: { average: f.mos } },
    totals: { packetsLost: f.packetsLost, packetsReceived: f.packetsReceived, bytesSent: f.bytesEachWay, bytesReceived: f.bytesEachWay },
    testTiming: { duration: f.durationMs },
  };
}
