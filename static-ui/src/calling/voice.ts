// The surface of the Twilio Voice SDK's Device and Call that this app uses. The real SDK and the
// SimulatedDevice both satisfy it, so the dialer doesn't know which one it drives.

export interface VoiceCall {
  readonly parameters: Record<string, string>;
  on(event: 'accept' | 'disconnect' | 'cancel' | 'reject' | 'ringing' | 'reconnecting' | 'reconnected', listener: (...args: any[]) => void): unknown;
  on(event: 'error', listener: (error: VoiceError) => void): unknown;
  on(event: 'warning' | 'warning-cleared', listener: (name: string, data?: unknown) => void): unknown;
  on(event: 'sample', listener: (sample: import('./quality').QualitySample) => void): unknown;
  disconnect(): void;
  mute(shouldMute?: boolean): void;
  isMuted(): boolean;
  sendDigits(digits: string): void;
  postFeedback(score?: number, issue?: string): Promise<void>;
}

export interface VoiceOutputDevices {
  get(): Set<MediaDeviceInfo>;
  set(deviceIdOrIds: string | string[]): Promise<void>;
}

export interface VoiceAudio {
  readonly availableInputDevices: Map<string, MediaDeviceInfo>;
  readonly availableOutputDevices: Map<string, MediaDeviceInfo>;
  readonly isOutputSelectionSupported: boolean;
  readonly inputDevice: MediaDeviceInfo | null;
  readonly speakerDevices: VoiceOutputDevices;
  setInputDevice(deviceId: string): Promise<void>;
  on(event: 'deviceChange', listener: (lostActiveDevices: MediaDeviceInfo[]) => void): unknown;
}

export interface VoiceDevice {
  readonly audio: VoiceAudio | null;
  connect(options: { params: Record<string, string> }): Promise<VoiceCall>;
  updateToken(token: string): void;
  on(event: 'tokenWillExpire', listener: (device: VoiceDevice) => void): unknown;
  on(event: 'error', listener: (error: VoiceError, call?: VoiceCall) => void): unknown;
  disconnectAll(): void;
  destroy(): void;
}

export interface VoiceError {
  code?: number;
  message?: string;
  description?: string;
  explanation?: string;
}

export interface DeviceOptions {
  edge: string[];
  codecPreferences: string[];
  closeProtection: boolean | string;
}

/** Codecs the SDK accepts, in the org's order; G.711 (PCMU) first when the org gives nothing usable. */
export function deviceOptions(edges: string[], codecs: string[]): DeviceOptions {
  const usable = codecs.map((c) => c.toLowerCase()).filter((c) => c === 'pcmu' || c === 'opus');
  return {
    edge: edges.length > 0 ? edges : ['roaming'],
    codecPreferences: usable.length > 0 ? [...new Set(usable)] : ['pcmu', 'opus'],
    closeProtection: true,
  };
}

/** What POST /api/calls/token answers: the access token and the Device options the server chose for this org. */
export interface CallToken {
  token: string;
  identity: string | null;
  expiresAt: string | null;
  /** Null when the server sent no usable options; the caller falls back to the org settings from /api/me. */
  device: DeviceOptions | null;
}

/** Reads the token response; throws when there is no token, since nothing can be called without one. */
export function readCallToken(raw: unknown): CallToken {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  if (typeof r.token !== 'string' || !r.token) throw new Error('The server did not return a calling token.');
  const d = r.device && typeof r.device === 'object' ? (r.device as Record<string, unknown>) : null;
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  let device: DeviceOptions | null = null;
  if (d) {
    const options = deviceOptions(typeof d.edge === 'string' ? [d.edge] : strings(d.edge), strings(d.codecPreferences));
    const close = d.closeProtection;
    device = { ...options, closeProtection: typeof close === 'string' && close ? close : close === false ? false : true };
  }
  return {
    token: r.token,
    identity: typeof r.identity === 'string' ? r.identity : null,
    expiresAt: typeof r.expiresAt === 'string' ? r.expiresAt : null,
    device,
  };
}

/** SDK error codes that mean the browser refused the microphone. */
export const microphoneBlockedCodes = new Set([31401, 31208]);
