import './styles.css';
import { ApiClient } from './api/client';
import { ApiError, errorMessage } from './api/problems';
import { normaliseMe } from './api/types';
import { loadConfig, type AppConfig } from './app/config';
import { h, notice, replace } from './app/dom';
import { pages } from './app/pages';
import { startShell } from './app/shell';
import type { AuthProvider } from './auth/auth';
import { DevSignIn } from './auth/devSignIn';
import { EntraSignIn } from './auth/entraSignIn';
import { CallSession } from './calling/callSession';
import { createVoiceDevice } from './calling/deviceFactory';
import { requestMicrophone } from './calling/microphone';

const root = document.getElementById('app')!;
let stopShell: (() => void) | null = null;

async function boot(message?: string): Promise<void> {
  stopShell?.();
  stopShell = null;
  replace(root, h('p', { class: 'loading', role: 'status' }, 'Loading\u2026'));
  let config: AppConfig;
  try {
    config = await loadConfig();
  } catch (error) {
    replace(root, h('main', { class: 'centered' }, h('h1', {}, 'Playbooks Calling'), notice('error', `The app is not configured: ${errorMessage(error)}`)));
    return;
  }
  const auth: AuthProvider = config.auth.mode === 'entra' ? new EntraSignIn(config.auth) : new DevSignIn();
  let expired = false;
  const api = new ApiClient(config.apiBaseUrl, auth, () => {
    if (expired) return;
    expired = true;
    auth.forgetToken();
    void boot('Your sign-in has expired. Please sign in again.');
  });

  try {
    if (!(await auth.isSignedIn())) {
      showSignIn(config, api, auth, message);
      return;
    }
    const first = await api.send<unknown>('GET', '/api/me');
    const me = normaliseMe(first.data);
    const calls = new CallSession({
      api,
      me: () => ctx.me(),
      createDevice: (token, options) => createVoiceDevice(ctx.me().telephony, token, options, api),
      requestMicrophone: () => requestMicrophone(),
    });
    const shell = startShell({ root, config, api, auth, calls, me, meETag: first.etag, pages, onSignOut: () => { calls.destroy(); void boot(); } });
    const ctx = shell.ctx;
    stopShell = () => {
      shell.stop();
      calls.destroy();
    };
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return; // boot() already re-ran from the 401 handler
    replace(root, h('main', { class: 'centered' },
      h('h1', {}, 'Playbooks Calling'),
      notice('error', errorMessage(error), 'boot-error'),
      h('button', { type: 'button', class: 'btn btn-primary', onclick: () => void boot() }, 'Try again'),
      ' ',
      h('button', { type: 'button', class: 'btn', onclick: async () => { await auth.signOut(); void boot(); } }, 'Sign out')));
  }
}

function showSignIn(config: AppConfig, api: ApiClient, auth: AuthProvider, message?: string): void {
  const status = h('div', { 'aria-live': 'polite' }, message ? notice('info', message, 'sign-in-message') : null);
  const body = h('div', { class: 'sign-in-list' });
  replace(root, h('main', { class: 'centered sign-in' },
    h('h1', {}, 'Sign in to Playbooks Calling'), status, body));

  if (auth instanceof EntraSignIn) {
    const button = h('button', { type: 'button', class: 'btn btn-primary', testid: 'sign-in-entra' }, 'Sign in with Microsoft');
    button.addEventListener('click', () => {
      button.disabled = true;
      auth.signIn().catch((error) => {
        button.disabled = false;
        replace(status, notice('error', errorMessage(error)));
      });
    });
    replace(body, button);
    return;
  }

  const dev = auth as DevSignIn;
  replace(body, h('p', { role: 'status' }, 'Loading the demo users\u2026'));
  dev.listUsers(api).then((users) => {
    if (users.length === 0) {
      replace(body, notice('info', 'The dev server lists no users to sign in as.'));
      return;
    }
    replace(body,
      h('p', { class: 'hint' }, 'Development sign-in: choose who to be. In Azure this is Microsoft Entra ID sign-in.'),
      h('ul', { class: 'user-list', 'aria-label': 'Sign in as' }, ...users.map((user) => {
        const button = h('button', { type: 'button', class: 'btn user-button', testid: `sign-in-${user.userId}` },
          h('span', { class: 'user-name' }, `Sign in as ${user.displayName}`),
          h('span', { class: 'user-meta' }, `${(user.roles ?? []).join(', ')} \u00b7 ${user.orgId}`));
        button.addEventListener('click', async () => {
          button.disabled = true;
          try {
            await dev.signIn(api, user.userId);
            void boot();
          } catch (error) {
            button.disabled = false;
            replace(status, notice('error', errorMessage(error)));
          }
        });
        return h('li', {}, button);
      })));
  }).catch((error) => replace(body, notice('error', `Can't load the sign-in list: ${errorMessage(error)}`)));
  void config;
}

void boot();
