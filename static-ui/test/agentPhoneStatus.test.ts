import { describe, expect, it } from 'vitest';
import { agentPhoneStatus, cannotCallText } from '../src/settings/agentPhoneStatus';
import { me } from './fixtures';

const now = new Date('2026-12-01T03:00:00Z');

describe('agentPhoneStatus', () => {
  it('offers nothing to verify when no number is set', () => {
    const status = agentPhoneStatus(me({ agentPhoneNumber: null, agentPhone: { number: null, verified: false } }), now);
    expect([status.state, status.canCallMe]).toEqual(['none', false]);
  });

  it('says a verified number is verified, with no code and no call button', () => {
    const status = agentPhoneStatus(me({ agentPhone: { number: '+15005550001', verified: true } }), now);
    expect([status.state, status.code, status.canCallMe]).toEqual(['verified', undefined, false]);
  });

  it('shows the code to enter, the minutes and the attempts left while a verification is in progress', () => {
    const status = agentPhoneStatus(me({
      agentPhone: { number: '+14155552671', verified: false, verification: { code: '042917', expiresAt: '2026-12-01T03:09:30Z', attemptsLeft: 2 } },
    }), now);
    expect(status.state).toBe('verifying');
    expect(status.code).toBe('042917');
    expect(status.text).toContain('enter the code 042917');
    expect(status.text).toContain('10 more minutes and 2 more attempts');
    expect(status.canCallMe).toBe(true);
  });

  it('treats an expired code as unverified and offers a new call', () => {
    const status = agentPhoneStatus(me({
      agentPhone: { number: '+14155552671', verified: false, verification: { code: '042917', expiresAt: '2026-12-01T02:59:00Z', attemptsLeft: 3 } },
    }), now);
    expect([status.state, status.code, status.canCallMe]).toEqual(['unverified', undefined, true]);
  });

  it('explains a verification call that could not be placed instead of asking for the code', () => {
    const status = agentPhoneStatus(me({
      agentPhone: { number: '+14155552671', verified: false, verification: { code: '042917', expiresAt: '2026-12-01T03:09:00Z', attemptsLeft: 3, callError: 'telephony-unavailable' } },
    }), now);
    expect(status.text).toMatch(/could not be placed/);
    expect(status.canCallMe).toBe(true);
  });

  it('reads an unverified number from an older server without agentPhone as not verified', () => {
    const status = agentPhoneStatus(me({ agentPhoneNumber: '+14155552671' }), now);
    expect(status.state).toBe('unverified');
  });
});

describe('cannotCallText', () => {
  it('tells the rep how to verify when phone-based calling is refused for an unverified number', () => {
    expect(cannotCallText('phone', { allowed: false, reason: 'agent-phone-unverified', detail: 'server text' })).toMatch(/verified agent phone number.*Call me to verify/);
  });

  it('keeps the server\u2019s explanation for other refusals', () => {
    expect(cannotCallText('phone', { allowed: false, reason: 'group-forbids-phone', detail: 'Group says no.' })).toBe('Group says no.');
  });
});
