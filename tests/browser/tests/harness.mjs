// Shared pieces of the browser tests: Chromium, sign-in, the API and the simulator, screenshots.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const baseUrl = (process.env.PLAYBOOKS_BASE_URL ?? 'http://127.0.0.1:7071').replace(/\/$/, '');
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const screenshotDir = path.join(repoRoot, 'artifacts', 'screenshots');

/** The simulator's magic numbers (functions/Playbooks.DevServer/TwilioSimulator/README.md). */
export const numbers = { answers: '+12015550100', busy: '+12015550101', noAnswer: '+12015550102', fails: '+12015550103' };

const baseArgs = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--use-fake-device-for-media-stream'];

/**
 * Debian's Chromium, headless. By default with a fake microphone that is already granted; with
 * `microphonePrompt: true` the browser's own permission handling applies (headless: no prompt is ever shown).
 */
export function launch({ microphonePrompt = false } = {}) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: microphonePrompt ? baseArgs : [...baseArgs, '--use-fake-ui-for-media-stream'],
  });
}

/** A fresh context and page; uncaught page errors and CSP violations are collected for the test to check. */
export async function newPage(browser) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  // The web app's Content-Security-Policy (staticwebapp.config.json, sent by the dev server too) must block nothing it needs.
  page.on('console', (message) => {
    if (message.type() === 'error' && message.text().includes('Content Security Policy')) problems.push(`CSP: ${message.text()}`);
  });
  // confirm() before deleting: the tests answer yes.
  page.on('dialog', (dialog) => void dialog.accept());
  return { context, page, problems };
}

/** Opens the app (at `hash`, e.g. '#/settings/phone'), signs in through the dev sign-in list as a person does, and waits for the shell. */
export async function signIn(page, userId, hash = '') {
  await page.goto(`${baseUrl}/${hash}`);
  await page.getByTestId(`sign-in-${userId}`).click();
  await page.getByTestId('signed-in-as').waitFor();
}

export async function screenshot(page, name) {
  await mkdir(screenshotDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
}

/** The API as a seeded user (dev sign-in token), for setting up and restoring state around a test. */
export async function apiAs(userId) {
  const response = await fetch(`${baseUrl}/dev/token`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ userId }) });
  if (!response.ok) throw new Error(`POST /dev/token ${userId}: ${response.status}`);
  const { accessToken } = await response.json();
  return async (method, route, body, headers = {}) => {
    const res = await fetch(`${baseUrl}${route}`, {
      method,
      headers: { Authorization: `Bearer ${accessToken}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, etag: res.headers.get('etag'), body: text ? JSON.parse(text) : undefined };
  };
}

/** GET /sim/calls/{sid}: the simulator's view of a call. */
export async function simCall(callSid) {
  const res = await fetch(`${baseUrl}/sim/calls/${encodeURIComponent(callSid)}`);
  if (!res.ok) throw new Error(`GET /sim/calls/${callSid}: ${res.status}`);
  return res.json();
}

/** Polls until `check` returns a truthy value; returns it. */
export async function eventually(check, { timeoutMs = 10_000, intervalMs = 200, what = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      last = await check();
      if (last) return last;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}; last: ${last instanceof Error ? last.message : JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Waits for the dialer's call status to reach a phase (data-phase on call-status). */
export async function waitForPhase(page, phase, timeout = 15_000) {
  await page.locator(`[data-testid="call-status"][data-phase="${phase}"]`).waitFor({ timeout });
}

/** The call SID the simulated Device got from POST /sim/calls (computer-based) — resolves once the call is placed. */
export function browserCallSid(page) {
  return page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/sim/calls')
    .then(async (r) => (await r.json()).callSid);
}

/** Puts a seeded person's calling preference (and group) back when it differs, as a manager would. */
export async function ensurePerson(userId, wanted) {
  const manager = await apiAs('admin');
  const { body: person, status } = await manager('GET', `/api/admin/people/${userId}`);
  if (status !== 200) throw new Error(`GET /api/admin/people/${userId}: ${status}`);
  const patch = Object.fromEntries(Object.entries(wanted).filter(([k, v]) => person[k] !== v));
  if (Object.keys(patch).length === 0) return;
  const res = await manager('PATCH', `/api/admin/people/${userId}`, patch);
  if (res.status !== 200) throw new Error(`PATCH /api/admin/people/${userId}: ${res.status} ${JSON.stringify(res.body)}`);
}
