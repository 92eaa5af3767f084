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
    ['415555', /Too short: a US or Canadian number has 10 digits \(you have 6\)/],
    ['+1 415 555 01', /Too short: \+1 numbers have 10 digits/],
    ['+1 415 555 01000', /Too long/],
    ['(015) 555-0100', /Area code 015 is not valid/],
    ['(415) 055-0100', /055 is not a valid exchange/],
    ['415-CALL-NOW', /Letters are not allowed/],
    ['415 555 0100 ext 12', /Extensions can.t be dialled directly/],
    ['415_555_0100', /Only digits/],
    ['41+5 555 0100', /A \+ may only come first/],
    ['+0 20 7946 0000', /never starts with 0/],
    ['+44 12', /Too short for an international number/],
    ['+1234567890123456', /at most 15 digits/],
    ['20 7946 0000 00', /Add the country code/],
  ])('explains why %s is invalid', (input, reason) => {
    const result = checkNumber(input);
    expect(result.valid).toBe(false);
    expect(result.valid ? '' : result.reason).toMatch(reason);
  });
});

describe('formatE164', () => {
  it('groups North American numbers and leaves others as they are', () => {
    expect(formatE164('+14155550100')).toBe('+1 415 555 0100');
    expect(formatE164('+442079460000')).toBe('+442079460000');
  });
});
