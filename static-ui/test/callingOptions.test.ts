import { describe, expect, it } from 'vitest';
import { normaliseMe } from '../src/api/types';
import { canChangePreference, placeCallsSummary, preferenceChoices, whyPreferenceIsFixed } from '../src/settings/callingOptions';
import { me } from './fixtures';

describe('preferenceChoices', () => {
  it('offers exactly the options the server sent, in its order, with labels', () => {
    expect(preferenceChoices(me({ callingOptions: ['phone', 'computer'] })).map((c) => [c.value, c.label])).toEqual([
      ['phone', 'Phone-based calling'],
      ['computer', 'Computer-based calling'],
    ]);
  });

  it('never adds an option the server left out, and drops duplicates', () => {
    expect(preferenceChoices(me({ callingPreference: 'phone', callingOptions: ['phone', 'phone'] })).map((c) => c.value)).toEqual(['phone']);
  });

  it('explains the manager-set option that will disappear once the rep switches away (the source document\u2019s scenario)', () => {
    const rep = me({
      callingPreference: 'computer',
      callingOptions: ['computer', 'phone'],
      canPlaceCalls: { computer: { allowed: false, reason: 'group-forbids-computer', detail: "Permission group 'Phone only' does not allow computer-based calling." }, phone: { allowed: true } },
    });
    const [computer, phone] = preferenceChoices(rep);
    expect(computer.note).toMatch(/won.t be offered again/);
    expect(phone.note).toBeUndefined();
  });

  it('adds no note when the current method is refused for a reason switching won\u2019t change (org disabled)', () => {
    const rep = me({ canPlaceCalls: { computer: { allowed: false, reason: 'org-computer-calling-disabled' }, phone: { allowed: true } } });
    expect(preferenceChoices(rep).every((c) => c.note === undefined)).toBe(true);
  });
});

describe('canChangePreference', () => {
  it('is false when the only option is the current preference', () => {
    const rep = me({ callingPreference: 'phone', callingOptions: ['phone'], user: { userId: 'rep-phone', displayName: 'Pat', permissionGroupId: 'phone-only' } });
    expect(canChangePreference(rep)).toBe(false);
    expect(whyPreferenceIsFixed(rep)).toMatch(/only allows phone-based calling/);
  });

  it('explains that a user without a group must ask a manager', () => {
    const rep = me({ callingPreference: 'phone', callingOptions: ['phone'], user: { userId: 'new', displayName: 'New' } });
    expect(whyPreferenceIsFixed(rep)).toMatch(/not in a permission group/);
  });
});

describe('placeCallsSummary', () => {
  it('shows the server\u2019s reason for a method that can\u2019t be used', () => {
    const rep = me({ canPlaceCalls: { computer: { allowed: true }, phone: { allowed: false, reason: 'no-agent-phone', detail: 'Phone-based calling needs an agent phone number to ring.' } } });
    expect(placeCallsSummary(rep)).toEqual([
      { method: 'computer', label: 'Computer-based calling', allowed: true, text: 'You can place calls this way.' },
      { method: 'phone', label: 'Phone-based calling', allowed: false, text: 'Phone-based calling needs an agent phone number to ring.' },
    ]);
  });
});

describe('normaliseMe', () => {
  it('fills safe defaults for a sparse body: nothing allowed, roaming, PCMU first, real telephony', () => {
    const sparse = normaliseMe({ user: { id: 'u1', displayName: 'U' }, org: { id: 'o1' }, roles: ['Rep'] });
    expect(sparse.user.userId).toBe('u1');
    expect(sparse.org.orgId).toBe('o1');
    expect(sparse.canPlaceCalls.computer.allowed).toBe(false);
    expect(sparse.calling.edges).toEqual(['roaming']);
    expect(sparse.calling.codecPreferences).toEqual(['pcmu', 'opus']);
    expect(sparse.telephony).toBe('twilio');
  });
});
