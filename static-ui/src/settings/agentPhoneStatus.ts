// What Settings → Phone and the dialer say about the agent phone's verification, from GET /api/me alone. Pure; no DOM.

import type { CallingPermission, Me } from '../api/types';

export type AgentPhoneState = 'none' | 'unverified' | 'verifying' | 'verified';

export interface AgentPhoneStatus {
  state: AgentPhoneState;
  label: string;
  text: string;
  /** The code to enter on the call, while a verification is in progress. */
  code?: string;
  /** Whether "Call me to verify" is offered. */
  canCallMe: boolean;
}

const callErrors: Record<string, string> = {
  'telephony-unavailable': 'The verification call could not be placed: the phone service is not answering. Try again in a minute.',
  'agent-phone-invalid': 'The phone service cannot call this number. Check it.',
  'agent-phone-blocked': 'The phone service is not allowed to call this number.',
  'caller-id-not-usable': 'Your organization\u2019s caller ID cannot be used. Ask an admin.',
  'caller-id-missing': 'Your organization has no caller ID to call you from. Ask an admin.',
};

function minutesLeft(expiresAt: string, now: Date): number {
  const left = Date.parse(expiresAt) - now.getTime();
  return Number.isFinite(left) ? Math.max(0, Math.ceil(left / 60000)) : 0;
}

export function agentPhoneStatus(me: Me, now: Date = new Date()): AgentPhoneStatus {
  const phone = me.agentPhone;
  if (!phone.number) {
    return { state: 'none', label: 'Not set', text: 'Add your phone number to place phone-based calls.', canCallMe: false };
  }
  if (phone.verified) {
    return { state: 'verified', label: 'Verified', text: 'Phone-based calls ring this phone first.', canCallMe: false };
  }
  const pending = phone.verification;
  if (pending && minutesLeft(pending.expiresAt, now) > 0) {
    const minutes = minutesLeft(pending.expiresAt, now);
    const error = pending.callError ? callErrors[pending.callError] ?? 'The verification call could not be placed. Try again.' : null;
    return {
      state: 'verifying',
      label: 'Verifying',
      code: pending.code,
      text: error ?? `We are calling this phone. Answer it and enter the code ${pending.code} on the keypad. `
        + `The code works for ${minutes} more minute${minutes === 1 ? '' : 's'} and ${pending.attemptsLeft} more attempt${pending.attemptsLeft === 1 ? '' : 's'}.`,
      canCallMe: true,
    };
  }
  return {
    state: 'unverified',
    label: 'Not verified',
    text: 'Before phone-based calls can ring this phone, prove it is yours: we call it and you enter a code shown here.',
    canCallMe: true,
  };
}

/** What the dialer says when the rep can't place calls with their method. */
export function cannotCallText(method: string, permission: CallingPermission): string {
  if (method === 'phone' && permission.reason === 'agent-phone-unverified') {
    return 'Phone-based calling needs a verified agent phone number. In Settings \u2192 Phone, choose \u201cCall me to verify\u201d and enter the code on the call.';
  }
  return permission.detail ?? 'Ask your manager.';
}
