import { errorMessage } from '../api/problems';
import type { AppContext } from '../app/context';
import { field, h, notice, replace } from '../app/dom';

export interface DisclosureSettings {
  recordingJurisdictions?: Record<string, string> | null;
  disclosureText?: string | null;
  disclosureAudioUrl?: string | null;
}

export const recordingModes = ['off', 'record-after-disclosure', 'record-without-disclosure'] as const;

/** "US-CA: off" lines to the map the API takes; the server validates codes and modes. */
export function parseJurisdictions(text: string): Record<string, string> {
  const map: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const [key, mode] = line.split(/[:=]/, 2).map((s) => s.trim());
    if (key) map[key.toUpperCase()] = (mode ?? '').toLowerCase();
  }
  return map;
}

export function formatJurisdictions(map: Record<string, string> | null | undefined): string {
  return Object.entries(map ?? {}).map(([k, v]) => `${k}: ${v}`).join('\n');
}

/** The org's recording per state or country and the disclosure prospects hear; saved on its own. */
export function recordingDisclosureSection(
  ctx: AppContext, org: DisclosureSettings, version: { get: () => string | null; set: (v: string | null) => void },
): HTMLElement {
  const jurisdictions = h('textarea', { rows: 5, testid: 'org-recording-jurisdictions' }) as HTMLTextAreaElement;
  jurisdictions.value = formatJurisdictions(org.recordingJurisdictions);
  const text = h('textarea', { rows: 2, maxlength: '300', testid: 'org-disclosure-text' }) as HTMLTextAreaElement;
  text.value = org.disclosureText ?? '';
  const audio = h('input', { type: 'url', value: org.disclosureAudioUrl ?? '', testid: 'org-disclosure-audio' });
  const status = h('div', { 'aria-live': 'polite' });
  const save = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'save-disclosure' }, 'Save recording disclosure');
  const form = h('form', { class: 'card', testid: 'org-disclosure' },
    h('h2', {}, 'Recording disclosure'),
    field('Recording per state or country', jurisdictions,
      `One per line, e.g. \u201cUS-CA: record-after-disclosure\u201d or \u201cGB: off\u201d. Modes: ${recordingModes.join(', ')}. ` +
      'Without a line, recorded calls are always disclosed. Recording without disclosure is allowed only where one-party consent is the law.'),
    field('Disclosure text', text, 'What the prospect hears when they answer, before you are connected (at most 300 characters).'),
    field('Or a recording to play instead (https URL)', audio),
    h('div', { class: 'actions' }, save), status);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    save.disabled = true;
    try {
      await ctx.api.patch('/api/admin/org', {
        recordingJurisdictions: parseJurisdictions(jurisdictions.value),
        disclosureText: text.value.trim(),
        disclosureAudioUrl: audio.value.trim(),
      }, { ifMatch: version.get() });
      const fresh = await ctx.api.send<DisclosureSettings & { version?: string | null }>('GET', '/api/admin/org');
      version.set(fresh.etag ?? fresh.data.version ?? null);
      replace(status, notice('success', 'Recording disclosure saved.', 'disclosure-saved'));
    } catch (error) {
      replace(status, notice('error', errorMessage(error), 'disclosure-error'));
    } finally {
      save.disabled = false;
    }
  });
  return form;
}
