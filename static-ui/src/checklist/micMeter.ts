// The microphone level meter: shows that the rep is heard, from a Web Audio AnalyserNode on the microphone.

import { h } from '../app/dom';

/** A level the eye can read, 0..1, from time-domain bytes (silence is 128): the RMS, scaled so speech fills the bar. */
export function levelFromSamples(samples: Uint8Array): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (const byte of samples) {
    const v = (byte - 128) / 128;
    sum += v * v;
  }
  return Math.min(1, Math.sqrt(sum / samples.length) * 4);
}

/** Above this the rep is heard; below it is room noise. */
export const heardLevel = 0.05;

/** How long the meter listens before it releases the microphone by itself. */
export const meterSeconds = 30;

export interface MicMeterDeps {
  getUserMedia: (constraints: MediaStreamConstraints) => Promise<MediaStream>;
  createContext: () => AudioContext;
  frame: (callback: () => void) => void;
  now: () => number;
}

const browserDeps = (): MicMeterDeps => ({
  getUserMedia: (c) => navigator.mediaDevices.getUserMedia(c),
  createContext: () => new AudioContext(),
  frame: (callback) => { requestAnimationFrame(callback); },
  now: () => performance.now(),
});

/**
 * A "Test microphone" button and a meter. It listens for {@link meterSeconds}, or until the page is left, then
 * releases the microphone. `data-heard` turns true once the level passes {@link heardLevel}.
 */
export function micMeter(deps: MicMeterDeps = browserDeps()): HTMLElement {
  const meter = h('meter', { min: '0', max: '1', low: String(heardLevel), value: '0', testid: 'mic-level', 'aria-label': 'Microphone level' }) as HTMLMeterElement;
  const status = h('p', { class: 'hint', role: 'status', testid: 'mic-level-status' }, 'Click Test microphone and say a few words.');
  const button = h('button', { type: 'button', class: 'btn', testid: 'mic-meter-start' }, 'Test microphone');
  const el = h('div', { class: 'mic-meter', testid: 'mic-meter', 'data-heard': 'false' }, button, meter, status);

  button.addEventListener('click', async () => {
    button.disabled = true;
    let stream: MediaStream;
    try {
      stream = await deps.getUserMedia({ audio: true });
    } catch {
      status.textContent = 'The microphone could not be opened. Check the microphone permission above.';
      button.disabled = false;
      return;
    }
    const context = deps.createContext();
    const analyser = context.createAnalyser();
    analyser.fftSize = 1024;
    context.createMediaStreamSource(stream).connect(analyser);
    const samples = new Uint8Array(analyser.fftSize);
    const stopAt = deps.now() + meterSeconds * 1000;
    status.textContent = 'Listening\u2026 say a few words.';

    const stop = () => {
      for (const track of stream.getTracks()) track.stop();
      void context.close();
      button.disabled = false;
      if (el.dataset.heard !== 'true') status.textContent = 'We did not hear you. Check that the right microphone is chosen and not muted.';
    };
    const tick = () => {
      if (!el.isConnected || deps.now() > stopAt) {
        stop();
        return;
      }
      analyser.getByteTimeDomainData(samples);
      const level = levelFromSamples(samples);
      meter.value = level;
      el.dataset.level = level.toFixed(3);
      if (level >= heardLevel && el.dataset.heard !== 'true') {
        el.dataset.heard = 'true';
        status.textContent = 'We hear you.';
      }
      deps.frame(tick);
    };
    deps.frame(tick);
  });
  return el;
}
