import { parsePhoneNumber } from 'awesome-phonenumber';

// Validates and normalises what a rep types into the dialer, with libphonenumber's metadata (the server checks the
// same way, then allowed countries and premium numbers); this only catches what can be known from the text, while typing.

export type NumberCheck =
  | { valid: true; e164: string }
  | { valid: false; reason: string; empty?: boolean };

const anotherCountry = 'For another country, start with + and its country code (for example +44 20 7946 0000).';

/** A number typed without a country code is read as a number of `defaultRegion` (US and Canada share +1). */
export function checkNumber(input: string, defaultRegion = 'US'): NumberCheck {
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

  const digits = text.replace(/\D/g, '');
  // 00 and 011 are how people dial abroad from most countries and from North America.
  const international = text.startsWith('+') ? digits : digits.startsWith('00') ? digits.slice(2) : digits.startsWith('011') ? digits.slice(3) : null;
  const parsed = international === null ? parsePhoneNumber(digits, { regionCode: defaultRegion }) : parsePhoneNumber(`+${international}`);
  if (parsed.valid) return { valid: true, e164: parsed.number.e164 };

  const countryCode = parsed.countryCode ? `+${parsed.countryCode}` : '';
  const typedHere = international === null;
  switch (parsed.possibility) {
    case 'invalid-country-code':
      return { valid: false, reason: 'No country has that code. Check the digits right after the +.' };
    case 'too-short':
      return { valid: false, reason: `Too short for a ${countryCode} number (you typed ${parsed.number?.significant.length ?? digits.length} digits${typedHere ? '' : ' after the country code'}).` };
    case 'too-long':
      return { valid: false, reason: `Too long for a ${countryCode} number.${typedHere ? ` ${anotherCountry}` : ''}` };
    case 'is-possible':
      return { valid: false, reason: `Not a valid ${countryCode} number: check the ${parsed.countryCode === 1 ? 'area code and ' : ''}digits.${typedHere ? ` ${anotherCountry}` : ''}` };
    default:
      return { valid: false, reason: typedHere ? `That is not a phone number. ${anotherCountry}` : 'That is not a phone number.' };
  }
}

/** Groups an E.164 number for display: +1 415 555 0100. */
export function formatE164(e164: string): string {
  const m = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(e164);
  return m ? `+1 ${m[1]} ${m[2]} ${m[3]}` : e164;
}
