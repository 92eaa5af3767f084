/** Plays a short two-note tone so the rep can hear which speaker is active. */
export async function playTestTone(sinkId?: string): Promise<void> {
  const Ctx = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
  if (!Ctx) throw new Error('This browser can\u2019t play a test sound.');
  const ctx = new Ctx();
  const withSink = ctx as AudioContext & { setSinkId?: (id: string) => Promise<void> };
  if (sinkId && sinkId !== 'default' && withSink.setSinkId) await withSink.setSinkId(sinkId);
  const gain = ctx.createGain();
  gain.gain.value = 0.15;
  gain.connect(ctx.destination);
  const start = ctx.currentTime;
  for (const [i, freq] of [660, 880].entries()) {
    const osc = ctx.createOscillator();
    osc.frequency.value = freq;
    osc.connect(gain);
    osc.start(start + i * 0.35);
    osc.stop(start + i * 0.35 + 0.3);
  }
  await new Promise((resolve) => setTimeout(resolve, 800));
  await ctx.close();
}
