import { describe, expect, it } from 'vitest';
import { describePreview } from '../src/dialer/callerIdPreview';
import { formatJurisdictions, parseJurisdictions } from '../src/manage/recordingDisclosureSection';

describe('recording jurisdictions', () => {
  it('parses one jurisdiction per line, upper-casing codes and lower-casing modes', () => {
    expect(parseJurisdictions('us-ca: Record-After-Disclosure\n\nGB = off\n  CA-ON :record-without-disclosure ')).toEqual({
      'US-CA': 'record-after-disclosure',
      GB: 'off',
      'CA-ON': 'record-without-disclosure',
    });
  });

  it('keeps a line without a mode so the server can name it', () => {
    expect(parseJurisdictions('US-NY')).toEqual({ 'US-NY': '' });
  });

  it('formats the stored map back into the same lines', () => {
    const map = { 'US-CA': 'off', GB: 'record-after-disclosure' };
    expect(parseJurisdictions(formatJurisdictions(map))).toEqual(map);
    expect(formatJurisdictions(null)).toBe('');
  });
});

describe('caller-ID preview', () => {
  it('names the number and why it was chosen', () => {
    const text = describePreview({ to: '+12015550100', callerId: '+12015550111', tier: 'area-code' });
    expect(text).toContain('area code');
    expect(text).toMatch(/201/);
    expect(describePreview({ to: '+12015550100', callerId: '+15005550006', tier: 'default' })).toContain('caller ID');
  });
});
