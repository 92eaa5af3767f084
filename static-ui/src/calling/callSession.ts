// One rep's calling session: the Device (real or simulated), the current call and its state. It outlives page
// navigation, so moving between pages never drops a call. No DOM here; pages subscribe and render.

import { itemsOf, type ApiClient } from '../api/client';
import { errorMessage } from '../api/problems';
import type { Me } from '../api/types';
import { eventsFromServerState, idle, isActive, outcomeFromStatus, terminalStatuses, transition, type DialerEvent, type DialerState, type Method, type Outcome, type ServerCallState } from '../dialer/callMachine';
import type { MicRequest } from './microphone';
import { QualityMonitor, reportSample, type QualitySample, type QualityState } from './quality';
import { StatusPoller } from './simPolling';
import { deviceOptions, microphoneBlockedCodes, readCallToken, type CallToken, type DeviceOptions, type VoiceCall, type VoiceDevice, type VoiceError } from './voice';

export interface CallSnapshot {
  state: DialerState;
  micBlocked: boolean;
  quality: QualityState;
  /** A device-level problem outside a call (token refresh failed, SDK error). */
  deviceError: string | null;
  /** The last call's SID, kept after it ends for the disposition and quality report. */
  lastCallSid: string | null;
}

export interface CallSessionDeps {
  api: ApiClient;
  me: () => Me;
  createDevice: (token: string, options: DeviceOptions) => Promise<VoiceDevice>;
  requestMicrophone: () => Promise<MicRequest>;
  now?: () => number;
  pollIntervalMs?: number;
  /** How often and how long to look the finished call up in recent calls for its outcome. */
  outcomeLookup?: { attempts: number; delayMs: number };
  /** How long END waits for the browser call's disconnect before hanging up through the server. */
  endFallbackMs?: number;
}

export class CallSession {
  private state: DialerState = idle;
  private micBlocked = false;
  private deviceError: string | null = null;
  private device: VoiceDevice | null = null;
  private call: VoiceCall | null = null;
  private lastCall: VoiceCall | null = null;
  private lastCallSid: string | null = null;
  private phonePoller: StatusPoller<ServerCallState> | null = null;
  private pollsAfterEnd = 0;
  private readonly quality = new QualityMonitor();
  private readonly listeners = new Set<(snapshot: CallSnapshot) => void>();
  private readonly now: () => number;

  constructor(private readonly deps: CallSessionDeps) {
    this.now = deps.now ?? Date.now;
  }

  snapshot(): CallSnapshot {
    return { state: this.state, micBlocked: this.micBlocked, quality: this.quality.state(), deviceError: this.deviceError, lastCallSid: this.lastCallSid };
  }

  subscribe(listener: (snapshot: CallSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get audioDevice(): VoiceDevice | null {
    return this.device;
  }

  lastSamples(): QualitySample[] {
    return this.quality.lastSamples();
  }

  /** Places a call with the rep's calling preference. `to` must already be E.164. */
  async dial(to: string, whoId?: string): Promise<void> {
    if (isActive(this.state)) return;
    const me = this.deps.me();
    const method: Method = me.callingPreference === 'computer' ? 'computer' : 'phone';
    this.quality.reset();
    this.lastCall = null;
    this.lastCallSid = null;
    this.dispatch({ type: 'dial', method, to, agentNumber: me.agentPhoneNumber ?? undefined });
    try {
      if (method === 'computer') await this.dialComputer(to, whoId);
      else await this.dialPhone(to, whoId);
    } catch (error) {
      this.dispatch({ type: 'failed', message: errorMessage(error) });
    }
  }

  hangup(): void {
    if (!isActive(this.state)) return;
    const state = this.state as Exclude<DialerState, { phase: 'idle' }>;
    this.dispatch({ type: 'hangup' });
    if (state.method === 'computer') {
      this.hangupComputer(state.callSid);
      return;
    }
    if (!state.callSid) {
      this.dispatch({ type: 'ended', at: this.now() });
      return;
    }
    this.endOnServer(state.callSid).finally(() => {
      // The state poller keeps going for the final reason; end locally now so END always responds.
      this.dispatch({ type: 'ended', at: this.now() });
    });
  }

  /**
   * END of a browser call: disconnect, and always hang up through the server too (the server hangs up both legs), since
   * a disconnect can fail silently (the Device is gone, the browser is offline, the SDK cannot reach Twilio). Ending
   * an already ended call is harmless. When the disconnect throws, or no disconnect event follows, the call ends here.
   */
  private hangupComputer(knownSid: string | undefined): void {
    const call = this.call;
    const callSid = (call?.parameters?.CallSid || undefined) ?? knownSid;
    let disconnected = false;
    if (call && this.device) {
      try {
        call.disconnect();
        disconnected = true;
      } catch {
        disconnected = false;
      }
    }
    if (callSid) {
      this.deps.api.post(`/api/calls/${encodeURIComponent(callSid)}/end`).catch((error) => {
        // After a clean disconnect the server's answer adds nothing; without one, the rep must know.
        if (!disconnected) this.dispatch({ type: 'failed', message: `The call may still be going: ${errorMessage(error)}` });
      });
    }
    const endHere = () => {
      if (this.call !== call && disconnected) return;
      this.call = null;
      this.dispatch({ type: 'ended', at: this.now() });
    };
    if (disconnected) setTimeout(endHere, this.deps.endFallbackMs ?? 3000);
    else endHere();
  }

  private endOnServer(callSid: string): Promise<void> {
    return this.deps.api.post(`/api/calls/${encodeURIComponent(callSid)}/end`)
      .then(() => undefined)
      .catch((error) => this.dispatch({ type: 'failed', message: `The call may still be going: ${errorMessage(error)}` }));
  }

  toggleMute(): void {
    if (this.state.phase !== 'in-call' || !this.call) return;
    const muted = !this.call.isMuted();
    this.call.mute(muted);
    this.dispatch({ type: 'muted', muted });
  }

  canMute(): boolean {
    return this.state.phase === 'in-call' && this.call !== null;
  }

  /** DTMF goes through the browser call; in a phone-based call the rep uses their phone's own keypad. */
  canSendDigits(): boolean {
    return this.state.phase === 'in-call' && this.call !== null;
  }

  sendDigits(digits: string): void {
    if (!this.canSendDigits()) return;
    this.call!.sendDigits(digits);
    this.dispatch({ type: 'digits', digits });
  }

  /** Clears the ended call from the dialer. */
  reset(): void {
    this.dispatch({ type: 'reset' });
  }

  /** Sends Twilio feedback (real SDK) and our own quality report with the last samples. */
  async reportQuality(report: { callSid: string; score: number; issues: string[]; comment: string }): Promise<void> {
    const call = this.call ?? this.lastCall;
    if (call) {
      try {
        await call.postFeedback(report.score, report.issues[0]);
      } catch {
        // Twilio Insights feedback is best effort; our own report below is the one that must succeed.
      }
    }
    // The API takes only the sample fields it knows (anything else is a 400), so the SDK's samples are trimmed.
    await this.deps.api.post('/api/quality-reports', { ...report, samples: this.quality.lastSamples().map(reportSample) });
  }

  async recheckMicrophone(): Promise<boolean> {
    const result = await this.deps.requestMicrophone();
    this.micBlocked = !result.ok && result.blocked;
    this.notify();
    return result.ok;
  }

  /** Creates the Device now (after a user gesture), e.g. to choose audio devices before the first call. */
  async prepareDevice(): Promise<VoiceDevice> {
    if (this.device) return this.device;
    const { token, device: options } = await this.fetchToken();
    const me = this.deps.me();
    // The token response carries the server's Device options (edge list, codecs, close-protection text).
    const device = await this.deps.createDevice(token, options ?? deviceOptions(me.calling.edges, me.calling.codecPreferences));
    device.on('tokenWillExpire', () => {
      this.fetchToken().then((fresh) => device.updateToken(fresh.token)).catch((error) => this.setDeviceError(`Could not renew the calling token: ${errorMessage(error)}`));
    });
    device.on('error', (error: VoiceError) => this.onVoiceError(error));
    this.device = device;
    return device;
  }

  /**
   * Releases the Device (computer-based calling was switched off) unless a call is in progress, which is never cut;
   * the next computer call creates a new Device if it is allowed again. True when nothing is held any more.
   */
  releaseDevice(): boolean {
    if (isActive(this.state)) return false;
    this.device?.destroy();
    this.device = null;
    return true;
  }

  destroy(): void {
    this.phonePoller?.stop();
    this.device?.destroy();
    this.device = null;
  }

  private async fetchToken(): Promise<CallToken> {
    return readCallToken(await this.deps.api.post<unknown>('/api/calls/token'));
  }

  private async dialComputer(to: string, whoId?: string): Promise<void> {
    const mic = await this.deps.requestMicrophone();
    if (!mic.ok) {
      this.micBlocked = mic.blocked;
      this.dispatch({ type: 'failed', message: mic.message });
      return;
    }
    this.micBlocked = false;
    const device = await this.prepareDevice();
    const params: Record<string, string> = { To: to };
    if (whoId) params.whoId = whoId;
    const call = await device.connect({ params });
    this.call = call;
    this.lastCall = call;
    const sid = () => call.parameters?.CallSid || undefined;
    this.dispatch({ type: 'placed', callSid: sid() });
    call.on('ringing', () => this.dispatch({ type: 'ringing' }));
    call.on('accept', () => {
      this.lastCallSid = sid() ?? this.lastCallSid;
      this.dispatch({ type: 'placed', callSid: sid() });
      this.dispatch({ type: 'answered', at: this.now() });
    });
    call.on('warning', (name: string) => {
      this.quality.warning(name);
      this.notify();
    });
    call.on('warning-cleared', (name: string) => {
      this.quality.warningCleared(name);
      this.notify();
    });
    call.on('sample', (sample: QualitySample) => {
      this.quality.sample(sample);
      this.notify();
    });
    call.on('error', (error: VoiceError) => this.onVoiceError(error));
    const finished = () => {
      if (this.call !== call) return;
      this.call = null;
      this.lastCallSid = sid() ?? this.lastCallSid;
      const hint = (call as { outcome?: Outcome }).outcome;
      this.dispatch({ type: 'ended', at: this.now(), outcome: hint });
      void this.lookUpOutcome(this.lastCallSid);
    };
    call.on('disconnect', finished);
    call.on('cancel', finished);
    call.on('reject', finished);
  }

  private async dialPhone(to: string, whoId?: string): Promise<void> {
    const body: Record<string, string> = { to };
    if (whoId) body.whoId = whoId;
    const placed = await this.deps.api.post<{ callSid?: string; sid?: string }>('/api/calls', body);
    const callSid = placed?.callSid ?? placed?.sid;
    if (!callSid) throw new Error('The server did not return the call.');
    this.lastCallSid = callSid;
    this.dispatch({ type: 'placed', callSid });
    this.dispatch({ type: 'agent-ringing' });
    this.phonePoller?.stop();
    this.pollsAfterEnd = 0;
    // The call-state endpoint follows the agent leg (ringing, the press-1 prompt) and the prospect leg, in both modes.
    this.phonePoller = new StatusPoller<ServerCallState>(
      () => this.deps.api.get<ServerCallState>(`/api/calls/${encodeURIComponent(callSid)}/state`),
      (server) => this.applyServerState(callSid, server),
      (error, consecutive) => {
        if (consecutive === 5) this.setDeviceError(`Can't follow the call's progress: ${errorMessage(error)}`);
      },
      this.deps.pollIntervalMs ?? 1000,
    );
    this.phonePoller.start();
  }

  private applyServerState(callSid: string, server: ServerCallState): void {
    if (this.lastCallSid !== callSid) {
      this.phonePoller?.stop();
      return;
    }
    const events = eventsFromServerState(server, this.now());
    if (server.state === 'ended') {
      this.phonePoller?.stop();
      const ended = events[0] as Extract<DialerEvent, { type: 'ended' }>;
      if (this.state.phase === 'ended') {
        if (ended.outcome && ended.outcome !== 'unknown') this.dispatch({ type: 'outcome', outcome: ended.outcome });
        return;
      }
    }
    if (this.state.phase === 'ended' || this.state.phase === 'idle') {
      this.pollsAfterEnd += 1;
      if (this.pollsAfterEnd > 20) this.phonePoller?.stop();
      return;
    }
    for (const event of events) this.dispatch(event);
  }

  private async findRecentCall(callSid: string): Promise<Record<string, unknown> | undefined> {
    const data = await this.deps.api.get<unknown>('/api/calls/recent');
    // An activity's callSid is the agent leg (the browser or the rep's phone); prospectCallSid is the prospect's.
    return itemsOf<Record<string, unknown>>(data).items.find((c) => c.callSid === callSid || c.prospectCallSid === callSid);
  }

  /** The activity is the record of truth for how a call ended; the browser only sees its own leg. */
  private async lookUpOutcome(callSid: string | null): Promise<void> {
    const me = this.deps.me();
    const st = this.state;
    if (!callSid || st.phase !== 'ended') return;
    if (me.telephony === 'simulated' && st.outcome !== 'unknown') return;
    const { attempts, delayMs } = this.deps.outcomeLookup ?? { attempts: 4, delayMs: 1500 };
    for (let i = 0; i < attempts; i++) {
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      try {
        const entry = await this.findRecentCall(callSid);
        const raw = (entry?.outcome ?? entry?.status) as string | undefined;
        const outcome = outcomeFromStatus(raw, raw === 'completed');
        if (outcome && raw && (terminalStatuses.has(raw) || raw === 'connected')) {
          if (this.lastCallSid === callSid) this.dispatch({ type: 'outcome', outcome });
          return;
        }
      } catch {
        return;
      }
    }
  }

  private onVoiceError(error: VoiceError): void {
    if (error?.code !== undefined && microphoneBlockedCodes.has(error.code)) this.micBlocked = true;
    const message = errorMessage(error);
    if (isActive(this.state)) {
      this.dispatch({ type: 'failed', message });
      if (this.call) {
        const call = this.call;
        this.call = null;
        call.disconnect();
      }
    } else {
      this.setDeviceError(message);
    }
  }

  private setDeviceError(message: string): void {
    this.deviceError = message;
    this.notify();
  }

  private dispatch(event: DialerEvent): void {
    const next = transition(this.state, event);
    if (next === this.state) return;
    if (event.type === 'dial') this.deviceError = null;
    this.state = next;
    this.notify();
  }

  private notify(): void {
    const snapshot = this.snapshot();
    for (const listener of this.listeners) listener(snapshot);
  }
}
