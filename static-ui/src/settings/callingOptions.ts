// What the Calling Preference drop-down shows, decided from GET /api/me alone. Pure; no DOM.

import { methodLabel, type Me } from '../api/types';

export interface PreferenceChoice {
  value: string;
  label: string;
  /** Why this option is only here for now (the manager set it, the group doesn't allow it). */
  note?: string;
}

const groupRefusals = new Set(['group-forbids-computer', 'group-forbids-phone', 'no-permission-group']);

function permissionFor(me: Me, method: string) {
  return method === 'computer' ? me.canPlaceCalls.computer : method === 'phone' ? me.canPlaceCalls.phone : undefined;
}

/** Exactly the server's callingOptions, in its order, each once, with a note on the one that will go away. */
export function preferenceChoices(me: Me): PreferenceChoice[] {
  const seen = new Set<string>();
  const choices: PreferenceChoice[] = [];
  for (const value of me.callingOptions) {
    if (seen.has(value)) continue;
    seen.add(value);
    const choice: PreferenceChoice = { value, label: methodLabel(value) };
    const permission = permissionFor(me, value);
    if (value === me.callingPreference && permission && !permission.allowed && groupRefusals.has(permission.reason ?? '')) {
      choice.note = 'Set for you by a manager. Your permission group doesn\u2019t let you choose it, so once you switch away it won\u2019t be offered again.';
    }
    choices.push(choice);
  }
  return choices;
}

/** Whether there is anything to change to. */
export function canChangePreference(me: Me): boolean {
  return preferenceChoices(me).some((c) => c.value !== me.callingPreference);
}

export function whyPreferenceIsFixed(me: Me): string {
  if (me.callingOptions.length === 0 || !me.user.permissionGroupId && preferenceChoices(me).length <= 1) {
    return 'You are not in a permission group yet, so you can\u2019t change your calling preference. Ask your manager to add you to one.';
  }
  return `Your permission group only allows ${methodLabel(me.callingPreference).toLowerCase()}. Ask your manager if you need the other method.`;
}

export interface MethodStatus {
  method: 'computer' | 'phone';
  label: string;
  allowed: boolean;
  text: string;
}

export function placeCallsSummary(me: Me): MethodStatus[] {
  return (['computer', 'phone'] as const).map((method) => {
    const p = me.canPlaceCalls[method];
    return {
      method,
      label: methodLabel(method),
      allowed: p.allowed,
      text: p.allowed ? 'You can place calls this way.' : p.detail ?? 'Not available to you.',
    };
  });
}
