import type { App, BlockButtonAction, ViewSubmitAction } from '@slack/bolt';
import { json } from '../backend-client.js';
import { INPUT_MAX, addFollowUpModal } from '../contacts/modals.js';
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
  meetingTitle,
  openModal,
  readWhen,
  said,
  submit,
  textOf,
  tellUser,
  zoneOf,
  type FieldErrors,
} from '../contacts/modal-kit.js';
import { addDays, zonedParts } from '../contacts/zoned-time.js';

/**
 * Add follow-up: due date and time (tomorrow 09:00 unless changed), read in
 * the member's time zone, and a note; the submission creates the follow-up,
 * owned by the member.
 */
export function registerAddFollowUp(bolt: App) {
  bolt.action<BlockButtonAction>(ACTIONS.addFollowUp, async (args) =>
    openModal(args, async (r, value, channel) => {
      const target = buttonTarget(value);
      const [c, title] = await Promise.all([getContact(r, target.contactId), meetingTitle(r, target.meetingId)]);
      const timeZone = zoneOf(r);
      const today = zonedParts(r.now().getTime(), timeZone).date;
      // after a meeting (the nudge's button): the follow-up comes from it, and says so
      const from = title && target.meetingId ? { i: target.meetingId } : {};
      const meta = encodeMeta({ c: c.id, n: c.name, ...from, ...(channel ? { ch: channel } : {}) });
      const note = title ? st(r.locale, 'nudge_follow_up_prefill', { title }) : undefined;
      return addFollowUpModal(r.locale, c.name, { timeZone, date: addDays(today, 1), time: '09:00' }, meta, note);
    }),
  );

  bolt.view<ViewSubmitAction>(VIEWS.addFollowUp, async ({ ack, body, view, client, context }) => {
    const r = rapportOf(context);
    const meta = decodeMeta(view);
    if (!r || !meta.c) return ack();
    const errors: FieldErrors = {};
    const note = textOf(view, INPUTS.note);
    checkText(errors, r.locale, INPUTS.note, note, { max: INPUT_MAX.note });
    const due = readWhen(view, r, INPUTS.dueDate, INPUTS.dueTime);
    if ('errors' in due) Object.assign(errors, due.errors);
    else if (Date.parse(due.iso) < r.now().getTime()) {
      // an earlier day is the date's fault; earlier today, the time's
      const today = zonedParts(r.now().getTime(), zoneOf(r)).date;
      const day = view.state.values[INPUTS.dueDate.block]?.[INPUTS.dueDate.action]?.selected_date ?? '';
      errors[day < today ? INPUTS.dueDate.block : INPUTS.dueTime.block] = st(r.locale, 'modal_err_past');
    }
    if (Object.keys(errors).length || 'errors' in due) return ack({ response_action: 'errors', errors });

    await submit({
      ack,
      r,
      client,
      user: body.user.id,
      meta,
      blocks: { dueAt: INPUTS.dueDate.block, note: INPUTS.note.block },
      save: () =>
        json(
          r.api['follow-ups'].$post({
            json: {
              contactId: meta.c!,
              dueAt: due.iso,
              clientKey: `slack-view:${view.id}`,
              ...(note ? { note } : {}),
              ...(meta.i ? { sourceInteractionId: meta.i } : {}),
            },
          }),
        ),
      saved: () =>
        tellUser(client, meta.ch, body.user.id, said(r, 'modal_saved_follow_up', { name: meta.n ?? '', when: formatDate(due.iso, r.locale, zoneOf(r)) })),
    });
  });
}
