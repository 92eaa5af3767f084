import { describe, expect, it } from 'vitest';
import { downsample, encodeWav } from '../src/settings/wavEncoder';
import { greetingLabel } from '../src/settings/greetingsSection';

describe('encodeWav', () => {
  it('writes a mono 16-bit PCM WAV header that the API reads the length from', () => {
    const wav = encodeWav(new Float32Array(16000), 8000);
    const view = new DataView(wav.buffer);
    const text = (offset: number, length: number) => String.fromCharCode(...wav.slice(offset, offset + length));

    expect([text(0, 4), text(8, 4), text(12, 4), text(36, 4)]).toEqual(['RIFF', 'WAVE', 'fmt ', 'data']);
    expect(view.getUint16(20, true)).toBe(1); // PCM
    expect(view.getUint16(22, true)).toBe(1); // mono
    expect(view.getUint32(24, true)).toBe(8000);
    expect(view.getUint32(40, true) / view.getUint32(28, true)).toBe(2); // data bytes / byte rate = 2 seconds
    expect(wav.length).toBe(44 + 32000);
  });

  it('clips samples outside -1..1 to the 16-bit range', () => {
    const wav = encodeWav(new Float32Array([2, -2, 0.5]), 8000);
    const view = new DataView(wav.buffer);

    expect([view.getInt16(44, true), view.getInt16(46, true), view.getInt16(48, true)]).toEqual([32767, -32768, 16383]);
  });
});

describe('downsample', () => {
  it('turns 48 kHz into 8 kHz, averaging each group of six samples', () => {
    const input = Float32Array.from({ length: 48 }, (_, i) => (i < 6 ? 0.6 : 0));

    const output = downsample(input, 48000, 8000);

    expect(output.length).toBe(8);
    expect(output[0]).toBeCloseTo(0.6);
    expect(output[1]).toBe(0);
  });
});

describe('greetingLabel', () => {
  it('shows the name and whole seconds', () => {
    expect(greetingLabel({ name: 'Sorry I missed you', durationSeconds: 4.6 })).toBe('Sorry I missed you (5 s)');
  });
});
