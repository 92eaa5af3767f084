// Validates and normalises what a rep types into the dialer. The server checks again (allowed countries,
// premium numbers); this only catches what can be known from the text, while typing.

export type NumberCheck =
  | { valid: true; e164: string }
  | { valid: false; reason: string; empty?: boolean };

const maxDigits = 15;

export function checkNumber(input: string, defaultCountryCode = '1'): NumberCheck {
  const text = input.trim();
  if (!text) return { valid: false, reason: 'Enter a number to call.', empty: true };
  if (/[a-z]/i.test(text.replace(/\b(ext|x)\.?\s*\d+$/i, ''))) {
    return { valid: false, reason: 'Letters are not allowed. Type the number with digits only.' };
  }
  if (/\b(ext|x)\.?\s*\d+$/i.test(text)) {
    return { valid: false, reason: 'Extensions can\u2019t be dialled directly. Call the main number, then use the dial pad.' };
  }
  if (/[^\d\s().+\-]/.test(text)) {
    return { valid: false, reason: 'Only digits, spaces, brackets, dots, dashes and a leading + are allowed.' };
  }
  if (text.indexOf('+') > 0 || text.split('+').length > 2) {
    return { valid: false, reason: 'A + may only come first, before the country code.' };
  }

  let digits = text.replace(/\D/g, '');
  if (text.startsWith('+')) {
    // Already international.
  } else if (text.startsWith('00')) {
    digits = digits.slice(2);
  } else if (text.startsWith('011')) {
    digits = digits.slice(3);
  } else if (defaultCountryCode === '1' && digits.length === 11 && digits.startsWith('1')) {
    // 1 (415) 555-0100: the trunk prefix is the country code.
  } else if (defaultCountryCode === '1' && digits.length === 10) {
    digits = `1${digits}`;
  } else if (defaultCountryCode === '1' && digits.length < 10) {
    return { valid: false, reason: `Too short: a US or Canadian number has 10 digits (you have ${digits.length}).` };
  } else {
    return { valid: false, reason: 'Add the country code with a leading + (for example +44 20 7946 0000).' };
  }

  if (digits.startsWith('0')) return { valid: false, reason: 'A country code never starts with 0.' };
  if (digits.length > maxDigits) return { valid: false, reason: `Too long: international numbers have at most ${maxDigits} digits.` };
  if (digits.startsWith('1')) {
    if (digits.length !== 11) {
      return { valid: false, reason: digits.length < 11 ? `Too short: +1 numbers have 10 digits after the +1 (you have ${digits.length - 1}).` : 'Too long: +1 numbers have 10 digits after the +1.' };
    }
    const area = digits.slice(1, 4);
    const exchange = digits.slice(4, 7);
    if (area[0] === '0' || area[0] === '1') return { valid: false, reason: `Area code ${area} is not valid: it can\u2019t start with 0 or 1.` };
    if (exchange[0] === '0' || exchange[0] === '1') return { valid: false, reason: `${exchange} is not a valid exchange: it can\u2019t start with 0 or 1.` };
  } else if (digits.length < 8) {
    return { valid: false, reason: 'Too short for an international number.' };
  }
  return { valid: true, e164: `+${digits}` };
}

/** Groups an E.164 number for display: +1 415 555 0100. */
export function formatE164(e164: string): string {
  const m = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(e164);
  return m ? `+1 ${m[1]} ${m[2]} ${m[3]}` : e164;
}
