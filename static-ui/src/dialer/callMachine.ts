// The dialer's call lifecycle as a pure reducer: the page feeds it SDK / API events and renders the state.

import { formatDuration } from '../app/dom';
import { formatE164 } from './phoneNumber';

export type Method = 'computer' | 'phone';
export type Outcome = 'connected' | 'busy' | 'no-answer' | 'failed' | 'canceled' | 'agent-no-answer' | 'agent-declined' | 'unknown';

interface CallInfo {
  method: Method;
  to: string;
  callSid?: string;
  agentNumber?: string;
}

export type DialerState =
  | { phase: 'idle' }
  | ({ phase: 'preparing' } & CallInfo)
  | ({ phase: 'connecting' } & CallInfo)
  | ({ phase: 'agent-ringing' } & CallInfo)
  | ({ phase: 'agent-key' } & CallInfo)
  | ({ phase: 'ringing' } & CallInfo)
  | ({ phase: 'in-call'; answeredAt: number; muted: boolean; digits: string } & CallInfo)
  | ({ phase: 'ending'; answeredAt?: number } & CallInfo)
  | ({ phase: 'ended'; outcome: Outcome; durationSeconds: number; error?: string } & CallInfo);

export type DialerEvent =
  | { type: 'dial'; method: Method; to: string; agentNumber?: string }
  | { type: 'placed'; callSid?: string }
  | { type: 'agent-ringing' }
  | { type: 'agent-key' }
  | { type: 'ringing' }
  | { type: 'answered'; at: number }
  | { type: 'muted'; muted: boolean }
  | { type: 'digits'; digits: string }
  | { type: 'hangup' }
  | { type: 'ended'; at: number; outcome?: Outcome }
  | { type: 'outcome'; outcome: Outcome }
  | { type: 'failed'; message: string }
  | { type: 'reset' };

export const idle: DialerState = { phase: 'idle' };

export function isActive(state: DialerState): boolean {
  return state.phase !== 'idle' && state.phase !== 'ended';
}

function info(state: DialerState): CallInfo | null {
  if (state.phase === 'idle') return null;
  const { method, to, callSid, agentNumber } = state;
  return { method, to, callSid, agentNumber };
}

export function transition(state: DialerState, event: DialerEvent): DialerState {
  const call = info(state);
  switch (event.type) {
    case 'dial':
      if (isActive(state)) return state;
      return { phase: 'preparing', method: event.method, to: event.to, agentNumber: event.agentNumber };
    case 'placed':
      if (state.phase !== 'preparing' && state.phase !== 'connecting') return state;
      return { ...call!, phase: 'connecting', callSid: event.callSid ?? call!.callSid };
    case 'agent-ringing':
      if (state.phase !== 'connecting' || state.method !== 'phone') return state;
      return { ...call!, phase: 'agent-ringing' };
    case 'agent-key':
      // The rep's phone answered; it asks them to press 1 before the prospect is dialed.
      if ((state.phase !== 'connecting' && state.phase !== 'agent-ringing') || state.method !== 'phone') return state;
      return { ...call!, phase: 'agent-key' };
    case 'ringing':
      if (state.phase !== 'connecting' && state.phase !== 'agent-ringing' && state.phase !== 'agent-key') return state;
      return { ...call!, phase: 'ringing' };
    case 'answered':
      if (state.phase !== 'connecting' && state.phase !== 'ringing' && state.phase !== 'agent-ringing' && state.phase !== 'agent-key') return state;
      return { ...call!, phase: 'in-call', answeredAt: event.at, muted: false, digits: '' };
    case 'muted':
      return state.phase === 'in-call' ? { ...state, muted: event.muted } : state;
    case 'digits':
      return state.phase === 'in-call' ? { ...state, digits: (state.digits + event.digits).slice(-40) } : state;
    case 'hangup':
      if (!isActive(state) || state.phase === 'ending') return state;
      return { ...call!, phase: 'ending', answeredAt: state.phase === 'in-call' ? state.answeredAt : undefined };
    case 'ended': {
      if (!call || state.phase === 'ended') return state;
      const answeredAt = state.phase === 'in-call' || state.phase === 'ending' ? state.answeredAt : undefined;
      const outcome = event.outcome ?? (answeredAt !== undefined ? 'connected' : state.phase === 'ending' ? 'canceled' : 'unknown');
      return {
        ...call,
        phase: 'ended',
        outcome,
        durationSeconds: answeredAt !== undefined ? Math.max(0, Math.round((event.at - answeredAt) / 1000)) : 0,
      };
    }
    case 'outcome':
      // The server's activity is the record of truth; it wins over what the browser saw.
      return state.phase === 'ended' ? { ...state, outcome: event.outcome } : state;
    case 'failed':
      if (!call) return state;
      if (state.phase === 'ended') return state.error ? state : { ...state, error: event.message };
      return { ...call, phase: 'ended', outcome: 'failed', durationSeconds: 0, error: event.message };
    case 'reset':
      return isActive(state) ? state : idle;
  }
}

const outcomeText: Record<Outcome, string> = {
  connected: 'Connected',
  busy: 'Busy',
  'no-answer': 'No answer',
  failed: 'Failed',
  canceled: 'Cancelled before answer',
  'agent-no-answer': 'Your phone did not answer',
  'agent-declined': 'Not connected: 1 was not pressed on your phone',
  unknown: 'Ended',
};

export function describeOutcome(outcome: Outcome): string {
  return outcomeText[outcome];
}

/** The one-line status shown above END. */
export function statusText(state: DialerState, now: number): string {
  switch (state.phase) {
    case 'idle':
      return 'Ready';
    case 'preparing':
      return state.method === 'computer' ? 'Checking your microphone\u2026' : 'Starting\u2026';
    case 'connecting':
      return state.method === 'phone' ? 'Starting the call\u2026' : 'Connecting\u2026';
    case 'agent-ringing':
      return `Answer your phone \u2014 we\u2019re calling ${formatE164(state.agentNumber ?? 'your agent number')}`;
    case 'agent-key':
      return 'Press 1 on your phone to connect';
    case 'ringing':
      return `Ringing ${formatE164(state.to)}\u2026`;
    case 'in-call':
      return `In call \u00b7 ${formatDuration((now - state.answeredAt) / 1000)}`;
    case 'ending':
      return 'Ending\u2026';
    case 'ended':
      if (state.outcome === 'agent-no-answer' || state.outcome === 'agent-declined') return describeOutcome(state.outcome);
      return `Call ended \u00b7 ${describeOutcome(state.outcome)}${state.durationSeconds > 0 ? ` \u00b7 ${formatDuration(state.durationSeconds)}` : ''}`;
  }
}

/** The disposition to pre-select after a call, from how it ended. */
export function suggestedDisposition(outcome: Outcome): string {
  switch (outcome) {
    case 'busy':
      return 'busy';
    case 'no-answer':
      return 'no-answer';
    case 'connected':
      return 'connected';
    default:
      return '';
  }
}

/** Maps a Twilio call status (REST, webhook, simulator) to the outcome the rep sees. */
export function outcomeFromStatus(status: string | undefined | null, answered: boolean): Outcome | undefined {
  switch (status) {
    case 'completed':
      return answered ? 'connected' : 'canceled';
    case 'busy':
      return 'busy';
    case 'no-answer':
      return 'no-answer';
    case 'failed':
      return 'failed';
    case 'canceled':
      return 'canceled';
    case 'connected':
      return 'connected';
    default:
      return undefined;
  }
}

export const terminalStatuses = new Set(['completed', 'busy', 'no-answer', 'failed', 'canceled']);

/** The call-state endpoint's answer (GET /api/calls/{sid}/state). */
export interface ServerCallState {
  state: 'ringing' | 'waiting-for-key' | 'connecting' | 'in-call' | 'ended';
  reason?: string | null;
  connectedAt?: string | null;
}

const reasonOutcomes: Record<string, Outcome> = {
  completed: 'connected',
  'agent-no-answer': 'agent-no-answer',
  'agent-declined': 'agent-declined',
  'agent-failed': 'failed',
  'prospect-no-answer': 'no-answer',
  'prospect-busy': 'busy',
  'prospect-failed': 'failed',
  canceled: 'canceled',
};

/** The dialer events a phone-based call's server state stands for, in order. */
export function eventsFromServerState(server: ServerCallState, now: number): DialerEvent[] {
  switch (server.state) {
    case 'ringing':
      return [{ type: 'agent-ringing' }];
    case 'waiting-for-key':
      return [{ type: 'agent-key' }];
    case 'connecting':
      return [{ type: 'ringing' }];
    case 'in-call':
      // The timer runs from when this browser saw the answer: the server's clock (or the simulator's) may differ.
      return [{ type: 'ringing' }, { type: 'answered', at: now }];
    case 'ended':
      return [{ type: 'ended', at: now, outcome: reasonOutcomes[server.reason ?? ''] ?? 'unknown' }];
    default:
      return [];
  }
}
