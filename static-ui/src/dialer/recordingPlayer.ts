import type { ApiClient } from '../api/client';
import { errorMessage } from '../api/problems';
import { formatDuration, h, notice, replace } from '../app/dom';

type Row = Record<string, unknown>;

/** What playing a recording needs from the app: the API (bearer token) and a hook to free the audio on leaving. */
export interface RecordingAccess {
  api: Pick<ApiClient, 'getBlob'>;
  onLeave(cleanup: () => void): void;
}

// Only our own API's playback route is ever fetched, never a URL a response could point elsewhere.
const playbackPathPattern = /^\/api\/calls\/[^/?#]+\/recording$/;

function recording(row: Row): { durationSeconds?: unknown; status?: unknown; playbackPath?: unknown } | null {
  const rec = row.recording;
  return rec && typeof rec === 'object' ? (rec as Record<string, unknown>) : null;
}

/** The recording column's text: "Recorded (01:04)", "Recording…", or nothing. */
export function recordingLabel(row: Row): string {
  const rec = recording(row);
  if (!rec) return '';
  if (typeof rec.durationSeconds === 'number') return `Recorded (${formatDuration(rec.durationSeconds)})`;
  return rec.status === 'in-progress' ? 'Recording\u2026' : 'Recorded';
}

/** Our playback path when the row has a recording to play, else null. */
export function playbackPath(row: Row): string | null {
  const path = recording(row)?.playbackPath;
  return row.hasRecording === true && typeof path === 'string' && playbackPathPattern.test(path) ? path : null;
}

/**
 * The recording cell: its label and, when there is audio, a Play button that fetches it through the API with the
 * bearer token into a blob: URL and plays it in an audio control. The browser never sees a Twilio URL.
 */
export function recordingCell(access: RecordingAccess | undefined, row: Row): Node | string {
  const label = recordingLabel(row);
  const path = playbackPath(row);
  if (!access || !path) return label;
  const slot = h('span', { class: 'recording-player' });
  const play = h('button', { type: 'button', class: 'btn btn-quiet', testid: 'play-recording', 'aria-label': `Play recording ${label}` }, 'Play');
  play.addEventListener('click', () => void load());
  replace(slot, play);

  async function load(): Promise<void> {
    play.disabled = true;
    play.textContent = 'Loading\u2026';
    try {
      const blob = await access!.api.getBlob(path!);
      const url = URL.createObjectURL(blob);
      access!.onLeave(() => URL.revokeObjectURL(url));
      const audio = h('audio', { controls: true, preload: 'auto', src: url, testid: 'recording-audio' });
      replace(slot, audio);
      try {
        void audio.play()?.catch(() => {});
      } catch {
        // Autoplay refused: the controls are there to start it by hand.
      }
    } catch (error) {
      play.disabled = false;
      play.textContent = 'Play';
      replace(slot, play, notice('error', errorMessage(error), 'recording-error'));
    }
  }

  return h('span', {}, label, ' ', slot);
}
