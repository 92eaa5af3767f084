import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiClient } from '../src/api/client';
import { callColumns } from '../src/dialer/recentCalls';
import { playbackPath, recordingCell, type RecordingAccess } from '../src/dialer/recordingPlayer';

const recorded = {
  callSid: 'CAagent', status: 'completed', outcome: 'connected', durationSeconds: 64,
  hasRecording: true, recording: { durationSeconds: 64, status: 'completed', playbackPath: '/api/calls/CAagent/recording' },
};

const byTestId = (root: ParentNode, id: string) => root.querySelector(`[data-testid="${id}"]`);

function access(getBlob: (path: string) => Promise<Blob>) {
  const cleanups: (() => void)[] = [];
  const value: RecordingAccess = { api: { getBlob: vi.fn(getBlob) }, onLeave: (c) => cleanups.push(c) };
  return { value, cleanups };
}

async function settle() {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

describe('recording playback', () => {
  beforeEach(() => {
    URL.createObjectURL = vi.fn(() => 'blob:http://localhost/audio-1');
    URL.revokeObjectURL = vi.fn();
    HTMLMediaElement.prototype.play = vi.fn(() => Promise.resolve());
  });

  afterEach(() => {
    document.body.replaceChildren();
  });

  it('fetches the audio through our API with Play, plays it from a blob: URL and frees it on leaving the page', async () => {
    const { value, cleanups } = access(async () => new Blob([new Uint8Array([82, 73, 70, 70])], { type: 'audio/wav' }));
    const cell = recordingCell(value, recorded) as HTMLElement;
    document.body.append(cell);
    expect(cell.textContent).toContain('Recorded (01:04)');

    (byTestId(cell, 'play-recording') as HTMLButtonElement).click();
    await settle();

    expect(value.api.getBlob).toHaveBeenCalledWith('/api/calls/CAagent/recording');
    const audio = byTestId(cell, 'recording-audio') as HTMLAudioElement;
    expect(audio.getAttribute('src')).toBe('blob:http://localhost/audio-1');
    expect(audio.hasAttribute('controls')).toBe(true);
    expect(HTMLMediaElement.prototype.play).toHaveBeenCalled();
    cleanups.forEach((c) => c());
    expect(URL.revokeObjectURL).toHaveBeenCalledWith('blob:http://localhost/audio-1');
  });

  it('shows the API\u2019s refusal and keeps Play to try again', async () => {
    const { ApiError } = await import('../src/api/problems');
    const { value } = access(async () => { throw new ApiError({ status: 404, code: 'not-found', title: 'Not found', detail: 'Recording was not found.', extensions: {} }); });
    const cell = recordingCell(value, recorded) as HTMLElement;

    (byTestId(cell, 'play-recording') as HTMLButtonElement).click();
    await settle();

    expect(byTestId(cell, 'recording-error')!.textContent).not.toBe('');
    expect((byTestId(cell, 'play-recording') as HTMLButtonElement).disabled).toBe(false);
    expect(byTestId(cell, 'recording-audio')).toBeNull();
  });

  it('offers no player for a recording in progress, or a path that is not our playback route', () => {
    const { value } = access(async () => new Blob());
    const inProgress = { hasRecording: false, recording: { status: 'in-progress' } };
    const twilioUrl = { hasRecording: true, recording: { playbackPath: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1' } };
    const elsewhere = { hasRecording: true, recording: { playbackPath: '//evil.example/api/calls/CA1/recording' } };

    expect(recordingCell(value, inProgress)).toBe('Recording\u2026');
    expect(playbackPath(twilioUrl)).toBeNull();
    expect(playbackPath(elsewhere)).toBeNull();
    expect(recordingCell(value, twilioUrl)).toBe('Recorded');
    expect(value.api.getBlob).not.toHaveBeenCalled();
  });

  it('puts the Play control in the calls table when the list can reach the API', () => {
    const { value } = access(async () => new Blob());
    const cell = callColumns(value).find((c) => c.label === 'Recording')!.cell(recorded) as HTMLElement;

    expect(byTestId(cell, 'play-recording')).not.toBeNull();
  });
});

describe('ApiClient.getBlob', () => {
  it('sends the bearer token to the relative API path and returns the body as a blob, uncached', async () => {
    const calls: { url: string; init: RequestInit }[] = [];
    const fetchFn = (async (url: string, init: RequestInit) => {
      calls.push({ url, init });
      return new Response(new Uint8Array([82, 73, 70, 70]), { status: 200, headers: { 'Content-Type': 'audio/wav' } });
    }) as unknown as typeof fetch;
    const api = new ApiClient('https://calls.example', { getToken: async () => 'tok' }, () => {}, fetchFn);

    const blob = await api.getBlob('/api/calls/CA1/recording');

    expect(calls).toHaveLength(1);
    expect(calls[0].url).toBe('https://calls.example/api/calls/CA1/recording');
    expect((calls[0].init.headers as Record<string, string>).Authorization).toBe('Bearer tok');
    expect(calls[0].init.cache).toBe('no-store');
    expect(new Uint8Array(await blob.arrayBuffer())).toEqual(new Uint8Array([82, 73, 70, 70]));
  });

  it('turns a 404 problem into an ApiError', async () => {
    const fetchFn = (async () => new Response(JSON.stringify({ status: 404, code: 'not-found', detail: 'Recording was not found.' }),
      { status: 404, headers: { 'Content-Type': 'application/problem+json' } })) as unknown as typeof fetch;
    const api = new ApiClient('', { getToken: async () => 'tok' }, () => {}, fetchFn);

    await expect(api.getBlob('/api/calls/CA1/recording')).rejects.toMatchObject({ problem: { code: 'not-found' } });
  });
});
