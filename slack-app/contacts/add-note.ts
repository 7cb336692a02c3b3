import type { App, BlockButtonAction, ViewSubmitAction } from '@slack/bolt';
import { json } from '../backend-client.js';
import { INPUT_MAX, addNoteModal } from './modals.js';
import { rapportOf } from '../identity.js';
import { ACTIONS, INPUTS, VIEWS } from '../ids.js';
import { st } from '../i18n/index.js';
import {
  buttonTarget,
  checkText,
  decodeMeta,
  encodeMeta,
  getContact,
  meetingTitle,
  openModal,
  said,
  submit,
  tellUser,
  textOf,
  type FieldErrors,
} from './modal-kit.js';

/**
 * Add note: a modal with one multiline note; its submission stores a note
 * about the contact. The view's id is the note's external id, so submitting
 * the same view twice stores it once.
 */
export function registerAddNote(bolt: App) {
  bolt.action<BlockButtonAction>(ACTIONS.addNote, async (args) =>
    openModal(args, async (r, value, channel) => {
      const target = buttonTarget(value);
      const [c, title] = await Promise.all([getContact(r, target.contactId), meetingTitle(r, target.meetingId)]);
      // after a meeting (the nudge's button): the note starts with it
      const initial = title ? st(r.locale, 'nudge_note_prefill', { title }) : undefined;
      return addNoteModal(r.locale, c.name, encodeMeta({ c: c.id, n: c.name, ...(channel ? { ch: channel } : {}) }), initial);
    }),
  );

  bolt.view<ViewSubmitAction>(VIEWS.addNote, async ({ ack, body, view, client, context }) => {
    const r = rapportOf(context);
    const meta = decodeMeta(view);
    if (!r || !meta.c) return ack();
    const note = textOf(view, INPUTS.note);
    const errors: FieldErrors = {};
    checkText(errors, r.locale, INPUTS.note, note, { required: true, max: INPUT_MAX.note });
    if (Object.keys(errors).length) return ack({ response_action: 'errors', errors });

    await submit({
      ack,
      r,
      client,
      user: body.user.id,
      meta,
      blocks: { body: INPUTS.note.block },
      save: async () => {
        const res = await r.api.interactions.$post({
          json: {
            kind: 'note',
            source: 'slack',
            externalId: `view:${view.id}`,
            occurredAt: r.now().toISOString(),
            body: note,
            participants: [{ role: 'about', contactId: meta.c! }],
          },
        });
        await json(res);
        return res.status === 201;
      },
      // a second submit of the same view stored nothing new and says nothing twice
      saved: async (created) => {
        if (created) await tellUser(client, meta.ch, body.user.id, said(r, 'modal_saved_note', { name: meta.n ?? '' }));
      },
    });
  });
}
