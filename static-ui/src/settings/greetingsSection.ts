import { errorMessage } from '../api/problems';
import type { Greeting, GreetingList } from '../api/types';
import type { AppContext } from '../app/context';
import { field, h, notice, replace } from '../app/dom';
import { startGreetingRecording, type GreetingRecording } from './greetingRecorder';

// Only our own API's playback route is ever fetched.
const audioPathPattern = /^\/api\/me\/greetings\/[0-9a-f]{32}\/audio$/;

export function greetingLabel(g: Pick<Greeting, 'name' | 'durationSeconds'>): string {
  return `${g.name} (${Math.round(g.durationSeconds)} s)`;
}

/**
 * Settings → Phone → Voicemail greetings: the rep's greetings (play, delete), a recorder (the browser encodes WAV) and an
 * upload of a WAV or MP3 file. The dialer's "Drop voicemail" leaves one of them on a prospect's voicemail.
 */
export function greetingsSection(ctx: AppContext): HTMLElement {
  const list = h('div', { testid: 'greeting-list' });
  const status = h('div', { 'aria-live': 'polite', testid: 'greeting-status' });
  const name = h('input', { type: 'text', maxlength: 60, testid: 'greeting-name', placeholder: 'e.g. Sorry I missed you' });
  const record = h('button', { type: 'button', class: 'btn', testid: 'greeting-record' }, 'Record');
  const file = h('input', { type: 'file', accept: 'audio/wav,audio/x-wav,audio/mpeg,.wav,.mp3', testid: 'greeting-file' });
  let limits: GreetingList | null = null;
  let recording: GreetingRecording | null = null;

  async function load(): Promise<void> {
    try {
      limits = await ctx.api.get<GreetingList>('/api/me/greetings');
      const full = limits.items.length >= limits.maxGreetings;
      record.disabled = full && !recording;
      file.disabled = full;
      replace(list, limits.items.length === 0
        ? h('p', { class: 'hint' }, 'No greetings yet.')
        : h('ul', { class: 'greetings' }, ...limits.items.map(row)),
      full ? h('p', { class: 'hint' }, `You have ${limits.maxGreetings} greetings, the most you can keep. Delete one to add another.`) : null);
    } catch (error) {
      replace(list, notice('error', errorMessage(error), 'greetings-error'));
    }
  }

  function row(g: Greeting): HTMLElement {
    const slot = h('span', {});
    const play = h('button', { type: 'button', class: 'btn btn-quiet', testid: 'greeting-play', 'aria-label': `Play ${g.name}` }, 'Play');
    play.addEventListener('click', async () => {
      if (!audioPathPattern.test(g.audioPath)) return;
      try {
        const url = URL.createObjectURL(await ctx.api.getBlob(g.audioPath));
        ctx.onLeave(() => URL.revokeObjectURL(url));
        replace(slot, h('audio', { controls: true, src: url, testid: 'greeting-audio' }));
      } catch (error) {
        replace(slot, notice('error', errorMessage(error)));
      }
    });
    const remove = h('button', { type: 'button', class: 'btn btn-quiet', testid: 'greeting-delete', 'aria-label': `Delete ${g.name}` }, 'Delete');
    remove.addEventListener('click', async () => {
      remove.disabled = true;
      try {
        await ctx.api.delete(`/api/me/greetings/${g.id}`);
        replace(status, notice('success', `Deleted \u201c${g.name}\u201d.`));
        await load();
      } catch (error) {
        remove.disabled = false;
        replace(status, notice('error', errorMessage(error)));
      }
    });
    return h('li', { testid: 'greeting' }, h('span', { testid: 'greeting-label' }, greetingLabel(g)), ' ', play, ' ', remove, ' ', slot);
  }

  async function upload(audio: Blob, contentType: string): Promise<void> {
    const label = name.value.trim();
    if (!label) {
      replace(status, notice('error', 'Give the greeting a name first.', 'greeting-name-missing'));
      name.focus();
      return;
    }
    replace(status, h('p', {}, 'Saving\u2026'));
    try {
      const added = await ctx.api.postFile<Greeting>(`/api/me/greetings?name=${encodeURIComponent(label)}`, audio, contentType);
      replace(status, notice('success', `Saved \u201c${greetingLabel(added)}\u201d.`, 'greeting-saved'));
      name.value = '';
      await load();
    } catch (error) {
      replace(status, notice('error', errorMessage(error), 'greeting-error'));
    }
  }

  const stop = () => {
    if (!recording) return;
    const { wav } = recording.stop();
    recording = null;
    record.textContent = 'Record';
    void upload(wav, 'audio/wav');
  };
  record.addEventListener('click', async () => {
    if (recording) {
      stop();
      return;
    }
    try {
      recording = await startGreetingRecording(stop);
      record.textContent = 'Stop and save';
      replace(status, h('p', { testid: 'greeting-recording' }, 'Recording\u2026 speak your greeting, then press Stop and save.'));
    } catch (error) {
      replace(status, notice('error', `The microphone could not be opened: ${errorMessage(error)}`));
    }
  });
  ctx.onLeave(() => recording?.cancel());
  file.addEventListener('change', () => {
    const chosen = file.files?.[0];
    file.value = '';
    if (chosen) void upload(chosen, chosen.type || 'application/octet-stream');
  });

  void load();
  return h('section', { class: 'card', 'aria-labelledby': 'greetings-title', testid: 'greetings' },
    h('h2', { id: 'greetings-title' }, 'Voicemail greetings'),
    h('p', { class: 'hint' }, 'When a call reaches voicemail, Drop voicemail in the dialer leaves one of these and frees you for the next call. 1 to 60 seconds, WAV or MP3, up to 5.'),
    list,
    field('Name', name),
    h('div', { class: 'actions' }, record, h('label', { class: 'btn' }, 'Upload a file\u2026 ', file)),
    status);
}
