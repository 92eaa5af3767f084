import { describe, expect, it } from 'vitest';
import { micMeter, type MicMeterDeps } from '../src/checklist/micMeter';

function fakes(amplitude: () => number) {
  const frames: (() => void)[] = [];
  let now = 0;
  const stopped: string[] = [];
  let closed = false;
  const deps: MicMeterDeps = {
    getUserMedia: async () => ({ getTracks: () => [{ stop: () => stopped.push('mic') }] }) as unknown as MediaStream,
    createContext: () => ({
      createAnalyser: () => ({
        fftSize: 0,
        getByteTimeDomainData(samples: Uint8Array) {
          const a = amplitude();
          for (let i = 0; i < samples.length; i++) samples[i] = Math.round(128 + a * Math.sin(i / 4));
        },
      }),
      createMediaStreamSource: () => ({ connect: () => undefined }),
      close: async () => { closed = true; },
    }) as unknown as AudioContext,
    frame: (callback) => { frames.push(callback); },
    now: () => now,
  };
  const runFrames = (count: number, stepMs = 16) => {
    for (let i = 0; i < count && frames.length; i++) {
      now += stepMs;
      frames.shift()!();
    }
  };
  return { deps, runFrames, stopped, isClosed: () => closed };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('micMeter', () => {
  it('shows the level and says the rep is heard when they speak', async () => {
    const { deps, runFrames } = fakes(() => 40);
    const el = micMeter(deps);
    document.body.append(el);
    el.querySelector<HTMLButtonElement>('[data-testid="mic-meter-start"]')!.click();
    await flush();
    runFrames(3);
    expect(el.dataset.heard).toBe('true');
    expect(el.querySelector<HTMLMeterElement>('meter')!.value).toBeGreaterThan(0.5);
    expect(el.querySelector('[data-testid="mic-level-status"]')!.textContent).toBe('We hear you.');
    el.remove();
  });

  it('says it did not hear the rep after the listening time, and releases the microphone', async () => {
    const { deps, runFrames, stopped, isClosed } = fakes(() => 0);
    const el = micMeter(deps);
    document.body.append(el);
    el.querySelector<HTMLButtonElement>('[data-testid="mic-meter-start"]')!.click();
    await flush();
    runFrames(5, 10_000);
    expect(el.dataset.heard).toBe('false');
    expect(stopped).toEqual(['mic']);
    expect(isClosed()).toBe(true);
    expect(el.querySelector('[data-testid="mic-level-status"]')!.textContent).toMatch(/did not hear you/);
    el.remove();
  });

  it('releases the microphone when the page is left', async () => {
    const { deps, runFrames, stopped } = fakes(() => 40);
    const el = micMeter(deps);
    document.body.append(el);
    el.querySelector<HTMLButtonElement>('[data-testid="mic-meter-start"]')!.click();
    await flush();
    runFrames(1);
    el.remove();
    runFrames(1);
    expect(stopped).toEqual(['mic']);
  });
});
