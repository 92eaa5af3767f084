import { errorMessage } from '../api/problems';
import { methodLabel } from '../api/types';
import type { Page } from '../app/context';
import { field, h, notice, replace } from '../app/dom';
import { type DisclosureSettings, recordingDisclosureSection } from './recordingDisclosureSection';

interface OrgSettings extends DisclosureSettings {
  orgId: string;
  name: string;
  computerCallingEnabled: boolean;
  defaultCallingPreference: string;
  defaultPermissionGroupId?: string | null;
  recording: string;
  edges: string[];
  codecPreferences: string[];
  callerId?: string | null;
  allowedCountries: string[];
  maxCallMinutes?: number;
  version?: string | null;
}

const list = (text: string) => text.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);

/** Admin: the org's calling settings. Computer-based calling itself is switched by Support. */
export const orgSettingsPage: Page = async (ctx) => {
  const { data: org, etag } = await ctx.api.send<OrgSettings>('GET', '/api/admin/org');
  let version = etag ?? org.version ?? null;
  const recording = h('select', { testid: 'org-recording' },
    ...[['off', 'Off'], ['record-from-answer', 'Record from answer'], ['dual-channel', 'Dual channel (each side separately)']]
      .map(([v, l]) => h('option', { value: v, selected: org.recording === v }, l)));
  const edges = h('input', { type: 'text', value: (org.edges ?? []).join(', '), testid: 'org-edges' });
  const codecs = h('input', { type: 'text', value: (org.codecPreferences ?? []).join(', '), testid: 'org-codecs' });
  const callerId = h('input', { type: 'tel', value: org.callerId ?? '', testid: 'org-caller-id' });
  const countries = h('input', { type: 'text', value: (org.allowedCountries ?? []).join(', '), testid: 'org-countries' });
  const maxCallMinutes = h('input', { type: 'number', min: '1', max: '240', step: '1', value: String(org.maxCallMinutes ?? 120), testid: 'org-max-call-minutes' });
  const preference = h('select', { testid: 'org-default-preference' },
    ...['phone', 'computer'].map((m) => h('option', { value: m, selected: org.defaultCallingPreference === m }, methodLabel(m))));
  const { data: groups } = await ctx.api.send<{ items: { id: string; name: string }[] }>('GET', '/api/admin/permission-groups?pageSize=200');
  const defaultGroup = h('select', { testid: 'org-default-group' },
    h('option', { value: '', selected: !org.defaultPermissionGroupId }, 'No group (only the default calling preference)'),
    ...groups.items.map((g) => h('option', { value: g.id, selected: org.defaultPermissionGroupId === g.id }, g.name)));
  const status = h('div', { 'aria-live': 'polite' });
  const save = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'save-org' }, 'Save');
  const form = h('form', { class: 'card' },
    field('Call recording', recording, 'Applies to computer-based and phone-based calls.'),
    field('Twilio edges, in order', edges, '\u201croaming\u201d picks the nearest edge (recommended). Or a regional edge such as ashburn, dublin, sydney, or a fallback list.'),
    field('Codec preferences, in order', codecs, 'pcmu (G.711) first is recommended: pcmu, opus.'),
    field('Caller ID', callerId, 'The number prospects see, in E.164 (+15551234567). It must be one of the numbers Support assigned to your org.'),
    field('Longest call, in minutes', maxCallMinutes, 'Calls end by themselves after this long (1–240; 120 by default).'),
    field('Allowed countries', countries, 'Two-letter country codes prospects may be called in, e.g. US, CA.'),
    field('Default calling preference for new users', preference),
    field('Default permission group for new users', defaultGroup, 'People get it when they first sign in or when you add them. People in no group can call only with the default calling preference.'),
    h('div', { class: 'actions' }, save), status);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    save.disabled = true;
    try {
      await ctx.api.patch('/api/admin/org', {
        recording: recording.value,
        edges: list(edges.value),
        codecPreferences: list(codecs.value).map((c) => c.toLowerCase()),
        callerId: callerId.value.trim(),
        allowedCountries: list(countries.value).map((c) => c.toUpperCase()),
        defaultCallingPreference: preference.value,
        defaultPermissionGroupId: defaultGroup.value,
        maxCallMinutes: Number(maxCallMinutes.value),
      }, { ifMatch: version });
      const fresh = await ctx.api.send<OrgSettings>('GET', '/api/admin/org');
      version = fresh.etag ?? fresh.data.version ?? null;
      await ctx.refreshMe();
      replace(status, notice('success', 'Org settings saved.', 'org-saved'));
    } catch (error) {
      replace(status, notice('error', errorMessage(error), 'org-error'));
    } finally {
      save.disabled = false;
    }
  });
  return h('div', { class: 'page' },
    h('h1', {}, 'Org settings'),
    h('p', { testid: 'org-computer-calling' }, `${org.name}: computer-based calling is ${org.computerCallingEnabled ? 'enabled' : 'not enabled'}. `,
      h('span', { class: 'hint' }, 'Support switches this for each org, sandboxes included.')),
    form,
    recordingDisclosureSection(ctx, org, { get: () => version, set: (v) => { version = v; } }));
};
