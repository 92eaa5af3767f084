import { describe, expect, it } from 'vitest';
import { checkNumber, formatE164 } from '../src/dialer/phoneNumber';

describe('checkNumber', () => {
  it.each([
    ['(415) 555-0100', '+14155550100'],
    ['415.555.0100', '+14155550100'],
    ['415 555 0100', '+14155550100'],
    ['1 (415) 555-0100', '+14155550100'],
    ['+1 415 555 0100', '+14155550100'],
    ['+44 20 7946 0000', '+442079460000'],
    ['0044 20 7946 0000', '+442079460000'],
    ['011 44 20 7946 0000', '+442079460000'],
    ['+15005550006', '+15005550006'],
  ])('normalises %s to %s', (input, e164) => {
    expect(checkNumber(input)).toEqual({ valid: true, e164 });
  });

  it('reports an empty entry as empty, so the page can stay quiet until Call is pressed', () => {
    expect(checkNumber('   ')).toMatchObject({ valid: false, empty: true });
  });

  it.each([
    ['415555', /^Too short for a \+1 number \(you typed 6 digits\)\.$/],
    ['+1 415 555 01', /^Too short for a \+1 number \(you typed 8 digits after the country code\)\.$/],
    ['+1 415 555 01000', /^Too long for a \+1 number\.$/],
    ['(015) 555-0100', /^Not a valid \+1 number: check the area code and digits\. For another country, start with \+/],
    ['(415) 055-0100', /^Not a valid \+1 number: check the area code and digits\./],
    ['+44 10 1234 5678', /^Not a valid \+44 number: check the digits\.$/],
    ['415-CALL-NOW', /Letters are not allowed/],
    ['415 555 0100 ext 12', /Extensions can.t be dialled directly/],
    ['415_555_0100', /Only digits/],
    ['41+5 555 0100', /A \+ may only come first/],
    ['+0 20 7946 0000', /No country has that code/],
    ['+44 12', /^Too short for a \+44 number/],
    ['+1234567890123456', /^Too long for a \+1 number/],
    ['20 7946 0000 00', /^Too long for a \+1 number\. For another country, start with \+ and its country code/],
  ])('explains why %s is invalid', (input, reason) => {
    const result = checkNumber(input);
    expect(result.valid).toBe(false);
    expect(result.valid ? '' : result.reason).toMatch(reason);
  });

  it.each([
    ['+1 604 555 0123', '+16045550123'],
    ['(604) 555-0123', '+16045550123'],
    ['020 7946 0000', '+442079460000'],
  ])('reads %s with the metadata of its country', (input, e164) => {
    const region = input.startsWith('020') ? 'GB' : 'US';
    expect(checkNumber(input, region)).toEqual({ valid: true, e164 });
  });
});

describe('formatE164', () => {
  it('groups North American numbers and leaves others as they are', () => {
    expect(formatE164('+14155550100')).toBe('+1 415 555 0100');
    expect(formatE164('+442079460000')).toBe('+442079460000');
  });
});
