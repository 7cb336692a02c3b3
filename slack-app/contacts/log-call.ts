import type { App, BlockButtonAction, ViewSubmitAction } from '@slack/bolt';
import { json } from '../backend-client.js';
import { INPUT_MAX, logCallModal } from './modals.js';
import { formatDate } from '../format.js';
import { st } from '../i18n/index.js';
import { rapportOf } from '../identity.js';
import { ACTIONS, INPUTS, VIEWS } from '../ids.js';
import {
  buttonTarget,
  checkText,
  decodeMeta,
  encodeMeta,
  getContact,
  openModal,
  optionOf,
  readWhen,
  said,
  submit,
  tellUser,
  textOf,
  zoneOf,
  type FieldErrors,
} from './modal-kit.js';
import { zonedParts } from './zoned-time.js';

/** A few minutes of clock difference are not "the future". */
const FUTURE_SLACK_MS = 5 * 60_000;
const SUBJECT_MAX = 200;

/**
 * A summary as subject and body: the first line is the subject when more
 * follow, so the timeline shows it as a title above the rest.
 *   splitSummary('Pricing call\nThey want a quote') = { subject: 'Pricing call', body: 'They want a quote' }
 *   splitSummary('Quick check-in') = { body: 'Quick check-in' }
 */
export function splitSummary(summary: string): { subject?: string; body: string } {
  const [first = '', ...rest] = summary.split(/\r?\n/);
  const body = rest.join('\n').trim();
  if (!body || first.trim().length > SUBJECT_MAX) return { body: summary };
  return { subject: first.trim(), body };
}

/**
 * Log call: a call or meeting with the contact, who reached out, when (now
 * unless changed, in the member's zone) and a summary; stored once per view.
 */
export function registerLogCall(bolt: App) {
  bolt.action<BlockButtonAction>(ACTIONS.logCall, async (args) =>
    openModal(args, async (r, value, channel) => {
      // from a nudge after a meeting: a meeting, at its start
      const { contactId, meetingAt } = buttonTarget(value);
      const c = await getContact(r, contactId);
      const timeZone = zoneOf(r);
      const at = zonedParts(meetingAt ? Date.parse(meetingAt) : r.now().getTime(), timeZone);
      const meta = encodeMeta({ c: c.id, n: c.name, ...(channel ? { ch: channel } : {}) });
      return logCallModal(r.locale, c.name, { timeZone, ...at }, meta, meetingAt ? 'meeting' : 'call');
    }),
  );

  bolt.view<ViewSubmitAction>(VIEWS.logCall, async ({ ack, body, view, client, context }) => {
    const r = rapportOf(context);
    const meta = decodeMeta(view);
    if (!r || !meta.c) return ack();
    const errors: FieldErrors = {};
    const kind = optionOf(view, INPUTS.kind);
    const direction = optionOf(view, INPUTS.direction);
    if (kind !== 'call' && kind !== 'meeting') errors[INPUTS.kind.block] = st(r.locale, 'modal_err_choice');
    if (direction !== 'inbound' && direction !== 'outbound') errors[INPUTS.direction.block] = st(r.locale, 'modal_err_choice');
    const summary = textOf(view, INPUTS.summary);
    checkText(errors, r.locale, INPUTS.summary, summary, { required: true, max: INPUT_MAX.summary });
    const at = readWhen(view, r, INPUTS.occurredDate, INPUTS.occurredTime);
    if ('errors' in at) Object.assign(errors, at.errors);
    else if (Date.parse(at.iso) > r.now().getTime() + FUTURE_SLACK_MS) {
      const today = zonedParts(r.now().getTime(), zoneOf(r)).date;
      const day = view.state.values[INPUTS.occurredDate.block]?.[INPUTS.occurredDate.action]?.selected_date ?? '';
      errors[day > today ? INPUTS.occurredDate.block : INPUTS.occurredTime.block] = st(r.locale, 'modal_err_future');
    }
    if (Object.keys(errors).length || 'errors' in at) return ack({ response_action: 'errors', errors });
    const k = kind as 'call' | 'meeting';

    await submit({
      ack,
      r,
      client,
      user: body.user.id,
      meta,
      blocks: {
        kind: INPUTS.kind.block,
        direction: INPUTS.direction.block,
        occurredAt: INPUTS.occurredDate.block,
        body: INPUTS.summary.block,
        subject: INPUTS.summary.block,
      },
      save: async () => {
        const res = await r.api.interactions.$post({
          json: {
            kind: k,
            direction: direction as 'inbound' | 'outbound',
            source: 'slack',
            externalId: `view:${view.id}`,
            occurredAt: at.iso,
            ...splitSummary(summary),
            participants: [{ role: 'about', contactId: meta.c! }],
          },
        });
        await json(res);
        return res.status === 201;
      },
      saved: async (created) => {
        if (!created) return;
        const when = formatDate(at.iso, r.locale, zoneOf(r));
        await tellUser(client, meta.ch, body.user.id, said(r, 'modal_saved_interaction', { kind: st(r.locale, `kind_${k}`), name: meta.n ?? '', when }));
      },
    });
  });
}
