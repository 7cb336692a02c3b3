import type { App, BlockButtonAction, ViewSubmitAction } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import { Email } from '../../backend/schemas.js';
import { json } from '../backend-client.js';
import { LIMITS } from '../limits.js';
import { INPUT_MAX, createContactModal } from './modals.js';
import { st } from '../i18n/index.js';
import { rapportOf, type RapportContext } from '../identity.js';
import { ACTIONS, INPUTS, VIEWS } from '../ids.js';
import { contactCard, isExternal } from './show-contact.js';
import { checkText, decodeMeta, encodeMeta, openModal, said, submit, tellUser, textOf, type FieldErrors } from './modal-kit.js';
import { VIEW_BLOCKS } from './modal-ids.js';

const looksLikeEmail = (s: string) => Email.safeParse(s).success && s.includes('@');

/**
 * Create contact, offered when a search found nothing: a modal prefilled with
 * what was searched (as the name, or as the email when it is an address);
 * the submission creates the contact and shows the person its card.
 */
export function registerCreateContact(bolt: App) {
  bolt.action<BlockButtonAction>(ACTIONS.createContact, async (args) =>
    openModal(args, async (r, query, channel) => {
      const q = query.replace(/\s+/g, ' ').trim();
      const prefill = looksLikeEmail(q) ? { email: q } : q ? { name: q.slice(0, INPUT_MAX.name) } : {};
      return createContactModal(r.locale, prefill, encodeMeta(channel ? { ch: channel } : {}));
    }),
  );

  bolt.view<ViewSubmitAction>(VIEWS.createContact, async ({ ack, body, view, client, context }) => {
    const r = rapportOf(context);
    if (!r) return ack();
    const meta = decodeMeta(view);
    const [name, email, company, title, phone] = [INPUTS.name, INPUTS.emails, INPUTS.company, INPUTS.title, INPUTS.phone].map((id) => textOf(view, id)) as [
      string,
      string,
      string,
      string,
      string,
    ];
    const errors: FieldErrors = {};
    checkText(errors, r.locale, INPUTS.name, name, { required: true, max: INPUT_MAX.name });
    if (email && !looksLikeEmail(email)) errors[INPUTS.emails.block] = st(r.locale, 'modal_err_email');
    checkText(errors, r.locale, INPUTS.company, company, { max: INPUT_MAX.company });
    checkText(errors, r.locale, INPUTS.title, title, { max: INPUT_MAX.title });
    checkText(errors, r.locale, INPUTS.phone, phone, { max: INPUT_MAX.phone });
    if (Object.keys(errors).length) return ack({ response_action: 'errors', errors });

    await submit({
      ack,
      r,
      client,
      user: body.user.id,
      meta,
      blocks: {
        name: INPUTS.name.block,
        emails: INPUTS.emails.block,
        company: INPUTS.company.block,
        title: INPUTS.title.block,
        phone: INPUTS.phone.block,
      },
      save: async () =>
        (await json(
          r.api.contacts.$post({
            json: {
              name,
              emails: email ? [email] : [],
              ...(company ? { company: { name: company } } : {}),
              ...(title ? { title } : {}),
              ...(phone ? { phone } : {}),
            },
          }),
        )) as unknown as { id: string; name: string },
      saved: async (c) => tellUser(client, meta.ch, body.user.id, await createdCard(r, client, meta.ch, c)),
    });
  });
}

/** 'Contact Jane created.' above the new contact's card; the sentence alone if the card cannot be had. */
async function createdCard(r: RapportContext, client: App['client'], channel: string | undefined, c: { id: string; name: string }) {
  const done = said(r, 'modal_created_contact', { name: c.name });
  try {
    const external = await isExternal(client, channel);
    const card = await contactCard(r, c.id, { external, shareable: !external && !!channel && !channel.startsWith('D'), shared: false });
    const head: KnownBlock = {
      type: 'context',
      block_id: VIEW_BLOCKS.created,
      elements: [{ type: 'mrkdwn', text: `:white_check_mark: ${done.text}` }],
    };
    return { text: done.text, blocks: card.blocks.length < LIMITS.blocks ? [head, ...card.blocks] : card.blocks };
  } catch {
    // the contact is saved; that much the person must still learn
    return done;
  }
}
