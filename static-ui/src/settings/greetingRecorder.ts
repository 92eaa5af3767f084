import { downsample, encodeWav, phoneSampleRate } from './wavEncoder';

/** A recording in progress: stop() ends it and gives the WAV (8 kHz mono PCM) and its length. */
export interface GreetingRecording {
  stop(): { wav: Blob; seconds: number };
  cancel(): void;
}

/** The longest greeting the API takes; the recorder stops itself there. */
export const maxRecordingSeconds = 60;

/**
 * Records the microphone with Web Audio (getUserMedia → ScriptProcessor) and encodes a WAV in the browser, since
 * MediaRecorder's WebM/Opus is not something Twilio's <Play> plays.
 */
export async function startGreetingRecording(onAutoStop: () => void): Promise<GreetingRecording> {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: true, noiseSuppression: true } });
  const context = new AudioContext();
  const source = context.createMediaStreamSource(stream);
  const processor = context.createScriptProcessor(4096, 1, 1);
  const chunks: Float32Array[] = [];
  let length = 0;
  processor.onaudioprocess = (event) => {
    const input = event.inputBuffer.getChannelData(0);
    chunks.push(new Float32Array(input));
    length += input.length;
    if (length >= context.sampleRate * maxRecordingSeconds) onAutoStop();
  };
  source.connect(processor);
  processor.connect(context.destination);

  const release = () => {
    processor.disconnect();
    source.disconnect();
    for (const track of stream.getTracks()) track.stop();
    void context.close();
  };
  return {
    stop() {
      release();
      const all = new Float32Array(Math.min(length, context.sampleRate * maxRecordingSeconds));
      let offset = 0;
      for (const chunk of chunks) {
        if (offset >= all.length) break;
        all.set(chunk.subarray(0, all.length - offset), offset);
        offset += chunk.length;
      }
      const samples = downsample(all, context.sampleRate, phoneSampleRate);
      const wav = encodeWav(samples, phoneSampleRate);
      return { wav: new Blob([wav.buffer as ArrayBuffer], { type: 'audio/wav' }), seconds: samples.length / phoneSampleRate };
    },
    cancel: release,
  };
}
