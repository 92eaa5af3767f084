import { errorMessage } from '../api/problems';
import type { AppContext } from '../app/context';
import { field, h, notice, replace } from '../app/dom';
import { playTestTone } from './speakerTest';
import type { VoiceAudio } from './voice';

function label(device: MediaDeviceInfo, index: number, kind: string): string {
  return device.label || (device.deviceId === 'default' ? `Default ${kind}` : `${kind} ${index + 1}`);
}

/** Microphone and speaker selection, a speaker test, and a notice when the active device goes away. */
export function audioDevicesPanel(ctx: AppContext): HTMLElement {
  const body = h('div', {});
  const status = h('div', { 'aria-live': 'polite', testid: 'audio-device-status' });
  const panel = h('section', { class: 'card', 'aria-labelledby': 'audio-title', testid: 'audio-devices' },
    h('h2', { id: 'audio-title' }, 'Audio devices'), body, status);

  const setup = h('button', { type: 'button', class: 'btn', testid: 'setup-audio' }, 'Choose microphone and speaker');
  setup.addEventListener('click', async () => {
    setup.disabled = true;
    try {
      if (!(await ctx.calls.recheckMicrophone())) {
        replace(status, notice('error', 'Allow the microphone first (see the banner above).'));
        setup.disabled = false;
        return;
      }
      const device = await ctx.calls.prepareDevice();
      if (!device.audio) throw new Error('This browser does not let the page choose audio devices.');
      watch(device.audio);
      render(device.audio);
    } catch (error) {
      setup.disabled = false;
      replace(status, notice('error', errorMessage(error)));
    }
  });

  function render(audio: VoiceAudio): void {
    const mics = [...audio.availableInputDevices.values()];
    const speakers = [...audio.availableOutputDevices.values()];
    const micSelect = h('select', { testid: 'mic-select' },
      ...mics.map((d, i) => h('option', { value: d.deviceId, selected: audio.inputDevice?.deviceId === d.deviceId }, label(d, i, 'Microphone'))));
    const active = [...audio.speakerDevices.get()][0]?.deviceId;
    const speakerSelect = h('select', { testid: 'speaker-select', disabled: !audio.isOutputSelectionSupported },
      ...speakers.map((d, i) => h('option', { value: d.deviceId, selected: active === d.deviceId }, label(d, i, 'Speaker'))));
    micSelect.addEventListener('change', () => {
      audio.setInputDevice(micSelect.value).then(
        () => replace(status, notice('success', 'Microphone changed.')),
        (error) => replace(status, notice('error', errorMessage(error))));
    });
    speakerSelect.addEventListener('change', () => {
      audio.speakerDevices.set(speakerSelect.value).then(
        () => replace(status, notice('success', 'Speaker changed.')),
        (error) => replace(status, notice('error', errorMessage(error))));
    });
    const test = h('button', { type: 'button', class: 'btn', testid: 'test-speaker' }, 'Play a test sound');
    test.addEventListener('click', async () => {
      test.disabled = true;
      try {
        await playTestTone(audio.isOutputSelectionSupported ? speakerSelect.value : undefined);
        replace(status, notice('info', 'Did you hear two beeps? If not, check the speaker, its volume, and the choice above.'));
      } catch (error) {
        replace(status, notice('error', errorMessage(error)));
      } finally {
        test.disabled = false;
      }
    });
    replace(body,
      mics.length ? field('Microphone', micSelect) : notice('warning', 'No microphone found. Plug in a headset or microphone.'),
      speakers.length ? field('Speaker', speakerSelect, audio.isOutputSelectionSupported ? undefined : 'This browser plays calls through the system\u2019s default speaker.') : null,
      h('div', { class: 'actions' }, test));
  }

  let watching: VoiceAudio | null = null;
  function watch(audio: VoiceAudio): void {
    if (watching === audio) return;
    watching = audio;
    audio.on('deviceChange', (lost: MediaDeviceInfo[]) => {
      if (!panel.isConnected) return;
      if (lost.length > 0) {
        replace(status, notice('warning', `${lost.map((d, i) => label(d, i, d.kind === 'audioinput' ? 'Microphone' : 'Speaker')).join(', ')} was disconnected. The call now uses the default device; choose another below if needed.`, 'device-lost'));
      }
      render(audio);
    });
  }

  const existing = ctx.calls.audioDevice?.audio;
  if (existing) {
    watch(existing);
    render(existing);
  } else {
    replace(body, h('p', {}, 'Pick the headset you want to use and check you can hear calls.'), setup);
  }
  return panel;
}
