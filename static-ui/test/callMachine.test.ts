import { describe, expect, it } from 'vitest';
import { eventsFromServerState, idle, isActive, outcomeFromStatus, statusText, suggestedDisposition, transition, type DialerEvent, type DialerState, type ServerCallState } from '../src/dialer/callMachine';

function run(events: DialerEvent[], from: DialerState = idle): DialerState {
  return events.reduce(transition, from);
}

const to = '+14155550100';

describe('dialer state machine', () => {
  it('goes connecting \u2192 ringing \u2192 in call \u2192 ended with duration for a computer-based call', () => {
    const inCall = run([{ type: 'dial', method: 'computer', to }, { type: 'placed' }, { type: 'ringing' }, { type: 'answered', at: 1_000 }]);
    expect(inCall).toMatchObject({ phase: 'in-call', answeredAt: 1_000, muted: false });
    expect(statusText(inCall, 66_000)).toBe('In call \u00b7 01:05');
    const ended = transition(inCall, { type: 'ended', at: 91_000 });
    expect(ended).toMatchObject({ phase: 'ended', outcome: 'connected', durationSeconds: 90 });
    expect(statusText(ended, 0)).toBe('Call ended \u00b7 Connected \u00b7 01:30');
  });

  it('tells a phone-based rep to answer their phone until the agent leg connects', () => {
    const state = run([{ type: 'dial', method: 'phone', to, agentNumber: '+15005550002' }, { type: 'placed', callSid: 'CA1' }, { type: 'agent-ringing' }]);
    expect(state).toMatchObject({ phase: 'agent-ringing', callSid: 'CA1' });
    expect(statusText(state, 0)).toBe('Answer your phone \u2014 we\u2019re calling +1 500 555 0002');
  });

  it('ignores agent-ringing for a computer-based call', () => {
    const state = run([{ type: 'dial', method: 'computer', to }, { type: 'placed' }, { type: 'agent-ringing' }]);
    expect(state.phase).toBe('connecting');
  });

  it('records the outcome it is told (busy) and suggests the matching disposition', () => {
    const state = run([{ type: 'dial', method: 'computer', to }, { type: 'placed' }, { type: 'ringing' }, { type: 'ended', at: 5, outcome: 'busy' }]);
    expect(state).toMatchObject({ phase: 'ended', outcome: 'busy', durationSeconds: 0 });
    expect(suggestedDisposition('busy')).toBe('busy');
  });

  it('counts END before an answer as cancelled', () => {
    const state = run([{ type: 'dial', method: 'computer', to }, { type: 'placed' }, { type: 'ringing' }, { type: 'hangup' }, { type: 'ended', at: 5 }]);
    expect(state).toMatchObject({ phase: 'ended', outcome: 'canceled' });
  });

  it('tracks mute and the digits sent only while in a call', () => {
    let state = run([{ type: 'dial', method: 'computer', to }, { type: 'placed' }, { type: 'digits', digits: '1' }]);
    expect(state.phase).toBe('connecting');
    state = run([{ type: 'answered', at: 0 }, { type: 'digits', digits: '1' }, { type: 'digits', digits: '#' }, { type: 'muted', muted: true }], state);
    expect(state).toMatchObject({ phase: 'in-call', digits: '1#', muted: true });
  });

  it('ends a failed call with the reason and keeps the first reason', () => {
    const failed = run([{ type: 'dial', method: 'computer', to }, { type: 'failed', message: 'Microphone blocked' }, { type: 'failed', message: 'later' }]);
    expect(failed).toMatchObject({ phase: 'ended', outcome: 'failed', error: 'Microphone blocked' });
    expect(isActive(failed)).toBe(false);
  });

  it('refuses a second dial while a call is active, and reset while active', () => {
    const active = run([{ type: 'dial', method: 'computer', to }, { type: 'placed' }]);
    expect(transition(active, { type: 'dial', method: 'phone', to: '+1' })).toBe(active);
    expect(transition(active, { type: 'reset' })).toBe(active);
  });

  it('lets the server\u2019s outcome replace what the browser guessed', () => {
    const ended = run([{ type: 'dial', method: 'computer', to }, { type: 'placed' }, { type: 'ended', at: 1 }]);
    expect(ended).toMatchObject({ outcome: 'unknown' });
    expect(transition(ended, { type: 'outcome', outcome: 'no-answer' })).toMatchObject({ outcome: 'no-answer' });
  });

  it('maps Twilio statuses to outcomes', () => {
    expect(outcomeFromStatus('completed', true)).toBe('connected');
    expect(outcomeFromStatus('completed', false)).toBe('canceled');
    expect(outcomeFromStatus('no-answer', false)).toBe('no-answer');
    expect(outcomeFromStatus('ringing', false)).toBeUndefined();
  });
});

describe('phone-based call state from the server', () => {
  const dialed = transition(transition(idle, { type: 'dial', method: 'phone', to: '+14155550100', agentNumber: '+15005550002' }), { type: 'placed', callSid: 'CA1' });

  function apply(state: DialerState, server: ServerCallState, now = 1000): DialerState {
    return eventsFromServerState(server, now).reduce(transition, state);
  }

  it('asks the rep to press 1 once their phone answered', () => {
    const state = apply(dialed, { state: 'waiting-for-key' });
    expect(state.phase).toBe('agent-key');
    expect(statusText(state, 0)).toBe('Press 1 on your phone to connect');
  });

  it('goes from the key to connecting and in call', () => {
    const connecting = apply(apply(dialed, { state: 'waiting-for-key' }), { state: 'connecting' });
    expect(connecting.phase).toBe('ringing');
    const inCall = apply(connecting, { state: 'in-call', connectedAt: '2026-01-01T00:00:00Z' }, 5000);
    expect(inCall).toMatchObject({ phase: 'in-call', answeredAt: 5000 });
  });

  it('says clearly that the rep\u2019s phone did not answer', () => {
    const state = apply(dialed, { state: 'ended', reason: 'agent-no-answer' });
    expect(state).toMatchObject({ phase: 'ended', outcome: 'agent-no-answer' });
    expect(statusText(state, 0)).toBe('Your phone did not answer');
  });

  it('maps the prospect\u2019s end reasons to the usual outcomes', () => {
    expect(apply(dialed, { state: 'ended', reason: 'prospect-busy' })).toMatchObject({ outcome: 'busy' });
    expect(apply(dialed, { state: 'ended', reason: 'agent-declined' })).toMatchObject({ outcome: 'agent-declined' });
    expect(apply(dialed, { state: 'ended', reason: 'something-new' })).toMatchObject({ outcome: 'unknown' });
  });
});
