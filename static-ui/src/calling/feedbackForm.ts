import { errorMessage } from '../api/problems';
import { feedbackIssues } from '../api/types';
import type { AppContext } from '../app/context';
import { field, h, notice, replace, uid } from '../app/dom';

/** "Report a call-quality issue": a 1-5 score, the issues Twilio knows, and a comment. */
export function qualityReportForm(ctx: AppContext, callSid: string, onDone: () => void): HTMLElement {
  const name = uid('score');
  const scores = h('fieldset', { class: 'score' },
    h('legend', {}, 'How was the call quality? (1 = very poor, 5 = excellent)'),
    ...[1, 2, 3, 4, 5].map((n) => h('label', { class: 'inline' },
      h('input', { type: 'radio', name, value: n, testid: `quality-score-${n}` }), ` ${n}`)));
  const issues = h('fieldset', {},
    h('legend', {}, 'What went wrong? (choose any)'),
    ...feedbackIssues.map(([value, label]) => h('label', { class: 'check' },
      h('input', { type: 'checkbox', value, testid: `quality-issue-${value}` }), ` ${label}`)));
  const comment = h('textarea', { rows: 3, maxlength: 2000, testid: 'quality-comment' });
  const status = h('div', { 'aria-live': 'polite' });
  const send = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'send-quality-report' }, 'Send report');
  const cancel = h('button', { type: 'button', class: 'btn' }, 'Cancel');
  cancel.addEventListener('click', onDone);
  const form = h('form', { class: 'card', testid: 'quality-report-form', 'aria-labelledby': 'quality-title' },
    h('h2', { id: 'quality-title' }, 'Report a call-quality issue'),
    scores, issues, field('Comment (optional)', comment),
    h('div', { class: 'actions' }, send, cancel), status);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const score = Number((form.querySelector(`input[name="${name}"]:checked`) as HTMLInputElement | null)?.value);
    if (!score) {
      replace(status, notice('error', 'Choose a score from 1 to 5.'));
      return;
    }
    const chosen = [...issues.querySelectorAll<HTMLInputElement>('input:checked')].map((i) => i.value);
    send.disabled = true;
    try {
      await ctx.calls.reportQuality({ callSid, score, issues: chosen, comment: comment.value.trim() });
      replace(form, notice('success', 'Thanks: your report was sent. Support uses it to look into the call.', 'quality-report-sent'));
      setTimeout(onDone, 4000);
    } catch (error) {
      send.disabled = false;
      replace(status, notice('error', errorMessage(error), 'quality-report-error'));
    }
  });
  return form;
}
