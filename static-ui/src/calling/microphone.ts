// Microphone permission: ask the browser on first computer-based use, and explain how to unblock it.

import { h } from '../app/dom';

export type MicPermission = 'granted' | 'denied' | 'prompt' | 'unknown';

export async function queryMicrophonePermission(nav: Navigator = navigator): Promise<MicPermission> {
  try {
    const status = await nav.permissions?.query({ name: 'microphone' as PermissionName });
    const state = status?.state;
    return state === 'granted' || state === 'denied' || state === 'prompt' ? state : 'unknown';
  } catch {
    return 'unknown';
  }
}

export type MicRequest = { ok: true } | { ok: false; blocked: boolean; message: string };

/** Shows the browser's prompt (or uses the granted permission) and releases the microphone straight away. */
export async function requestMicrophone(nav: Navigator = navigator): Promise<MicRequest> {
  if (!nav.mediaDevices?.getUserMedia) {
    return { ok: false, blocked: false, message: 'This browser can\u2019t use a microphone here. Use Chrome or Edge, on an https:// address.' };
  }
  try {
    const stream = await nav.mediaDevices.getUserMedia({ audio: true });
    for (const track of stream.getTracks()) track.stop();
    return { ok: true };
  } catch (error) {
    const name = (error as { name?: string })?.name;
    if (name === 'NotAllowedError' || name === 'SecurityError' || name === 'PermissionDeniedError') {
      return { ok: false, blocked: true, message: 'Microphone access is blocked for this site.' };
    }
    if (name === 'NotFoundError' || name === 'DevicesNotFoundError' || name === 'OverconstrainedError') {
      return { ok: false, blocked: false, message: 'No microphone was found. Plug in a headset or microphone and try again.' };
    }
    if (name === 'NotReadableError' || name === 'TrackStartError') {
      return { ok: false, blocked: false, message: 'Your microphone is in use by another app, or not working. Close other calling apps and try again.' };
    }
    return { ok: false, blocked: false, message: 'The microphone could not be started.' };
  }
}

/** The steps from the source document for allowing the microphone in Chrome's site settings. */
export const chromeMicrophoneSteps = [
  'Click the three dots in the top right-hand corner of Chrome.',
  'Click Settings, then Privacy and security, then Site settings.',
  'Click View permissions and data stored across sites.',
  `Find ${typeof location !== 'undefined' ? location.host : 'this site'} (it may be under Recent activity) and open it.`,
  'Under Permissions, find Microphone.',
  'Choose Allow from its drop-down menu.',
  'Come back here and click Check again (or reload this page).',
];

/**
 * The blocked-microphone banner. `onCheckAgain` re-runs the check; the banner removes itself when the
 * check passes.
 */
export function microphoneBlockedBanner(onCheckAgain: () => Promise<boolean>): HTMLElement {
  const status = h('p', { class: 'banner-status', role: 'status' });
  const button = h('button', { type: 'button', class: 'btn', testid: 'mic-check-again' }, 'Check again');
  const banner = h('section', { class: 'banner banner-error', role: 'alert', testid: 'mic-blocked-banner', 'aria-labelledby': 'mic-blocked-title' },
    h('h2', { id: 'mic-blocked-title' }, 'Your microphone is blocked'),
    h('p', {}, 'Computer-based calling uses your browser\u2019s microphone so the person you call can hear you. This browser has blocked it for this site. To allow it in Chrome:'),
    h('ol', {}, ...chromeMicrophoneSteps.map((step) => h('li', {}, step))),
    h('p', { class: 'hint' }, 'The browser may say it wants the camera too; only the microphone is used.'),
    button,
    status,
  );
  button.addEventListener('click', async () => {
    button.disabled = true;
    status.textContent = 'Checking\u2026';
    const ok = await onCheckAgain();
    button.disabled = false;
    status.textContent = ok ? 'Microphone allowed.' : 'Still blocked. Follow the steps above, then check again.';
    if (ok) banner.remove();
  });
  return banner;
}
