import { createHash } from 'node:crypto';
import type { App, BlockButtonAction, ViewSubmitAction } from '@slack/bolt';
import { BackendError, json } from '../backend-client.js';
import { STAGES, type Stage } from '../../backend/i18n/vocabulary.js';
import { INPUT_MAX, editContactModal } from './modals.js';
import { st } from '../i18n/index.js';
import { rapportOf, type RapportContext } from '../identity.js';
import { ACTIONS, INPUTS, VIEWS } from '../ids.js';
import { checkText, decodeMeta, encodeMeta, getContact, openModal, optionOf, said, submit, tellUser, textOf, userOf, type FieldErrors } from './modal-kit.js';

const TAGS_MAX = 50;
const TAG_MAX = 64;
/** Between the changed fields of a confirmation; tags themselves are joined with commas. */
const SEPARATOR = { en: '; ', ja: '／', zh: '；' } as const;

/** A short fingerprint of a field as the modal showed it. */
const fingerprint = (value: string) => createHash('sha256').update(value).digest('base64url').slice(0, 12);

/**
 * Tags as typed: split on ASCII, Japanese and Chinese commas, trimmed, without
 * empties or repeats.
 *   parseTags(' vip, 重要、vip ,,') = ['vip', '重要']
 */
export function parseTags(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[,、，]/)
        .map((t) => t.trim())
        .filter(Boolean),
    ),
  ];
}

type Patch = { stage?: Stage; title?: string | null; reading?: string | null; phone?: string | null; tags?: string[]; ownerEmail?: string | null };

/**
 * Edit: a modal prefilled from the contact (stage, owner, title, phone, tags);
 * its submission PATCHes only what the person changed, so an edit made by
 * someone else meanwhile to another field is kept.
 */
export function registerEditContact(bolt: App) {
  bolt.action<BlockButtonAction>(ACTIONS.edit, async (args) =>
    openModal(args, async (r, id, channel) => {
      const c = await getContact(r, id);
      // the only member whose Slack id Rapport can name without another scope is the one acting
      const ownerSlackId = c.owner && c.owner.id === r.memberId ? r.slackUserId : null;
      const h = {
        stage: fingerprint(c.stage),
        title: fingerprint(c.title ?? ''),
        reading: fingerprint(c.reading ?? ''),
        phone: fingerprint(c.phone ?? ''),
        tags: fingerprint(c.tags.join('\n')),
      };
      const meta = encodeMeta({ c: c.id, ...(channel ? { ch: channel } : {}), n: c.name, h, ...(ownerSlackId ? { o: ownerSlackId } : {}) });
      return editContactModal(r.locale, { ...c, ownerName: c.owner?.name ?? null, ownerSlackId }, meta);
    }),
  );

  bolt.view<ViewSubmitAction>(VIEWS.editContact, async ({ ack, body, view, client, context }) => {
    const r = rapportOf(context);
    const meta = decodeMeta(view);
    if (!r || !meta.c) return ack();
    const errors: FieldErrors = {};
    const stage = optionOf(view, INPUTS.stage);
    if (!STAGES.includes(stage as Stage)) errors[INPUTS.stage.block] = st(r.locale, 'modal_err_choice');
    const title = textOf(view, INPUTS.title);
    const phone = textOf(view, INPUTS.phone);
    const reading = textOf(view, INPUTS.reading);
    checkText(errors, r.locale, INPUTS.title, title, { max: INPUT_MAX.title });
    checkText(errors, r.locale, INPUTS.reading, reading, { max: INPUT_MAX.reading });
    checkText(errors, r.locale, INPUTS.phone, phone, { max: INPUT_MAX.phone });
    const tags = parseTags(textOf(view, INPUTS.tags));
    if (tags.length > TAGS_MAX || tags.some((t) => t.length > TAG_MAX)) {
      errors[INPUTS.tags.block] = st(r.locale, 'modal_err_tags', { count: TAGS_MAX, max: TAG_MAX });
    }
    if (Object.keys(errors).length) return ack({ response_action: 'errors', errors });

    const was = meta.h ?? {};
    const patch: Patch = {};
    if (fingerprint(stage!) !== was.stage) patch.stage = stage as Stage;
    if (fingerprint(title) !== was.title) patch.title = title || null;
    if (fingerprint(phone) !== was.phone) patch.phone = phone || null;
    // a modal opened before readings existed has no fingerprint: leave the reading alone unless typed
    if (fingerprint(reading) !== (was.reading ?? fingerprint(''))) patch.reading = reading || null;
    if (fingerprint(tags.join('\n')) !== was.tags) patch.tags = tags;
    const owner = userOf(view, INPUTS.owner);
    // an empty select clears the owner only if it started on one
    const ownerChanged = owner ? owner !== meta.o : meta.o !== undefined;
    if (!ownerChanged && Object.keys(patch).length === 0) {
      await ack();
      return tellUser(client, meta.ch, body.user.id, said(r, 'modal_no_changes', { name: meta.n ?? '' }));
    }

    await submit({
      ack,
      r,
      client,
      user: body.user.id,
      meta,
      blocks: {
        stage: INPUTS.stage.block,
        ownerEmail: INPUTS.owner.block,
        title: INPUTS.title.block,
        reading: INPUTS.reading.block,
        phone: INPUTS.phone.block,
        tags: INPUTS.tags.block,
      },
      save: async () => {
        if (ownerChanged) patch.ownerEmail = owner ? await emailOf(r, client, owner) : null;
        return json(r.api.contacts[':id'].$patch({ param: { id: meta.c! }, json: patch }));
      },
      saved: (c) => tellUser(client, meta.ch, body.user.id, said(r, 'modal_saved_contact', { name: c.name, fields: changes(r, patch, c) })),
    });
  });
}

type Saved = {
  name: string;
  reading: string | null;
  stage: string;
  title: string | null;
  phone: string | null;
  tags: string[];
  owner: { name: string } | null;
};

/** The Slack user's profile email, which is how the backend knows a member. */
async function emailOf(r: RapportContext, client: App['client'], user: string): Promise<string> {
  const fail = () => new BackendError(400, 'owner_unknown', st(r.locale, 'modal_err_owner'), { field: 'ownerEmail' });
  let email: string | undefined;
  try {
    email = (await client.users.info({ user })).user?.profile?.email ?? undefined;
  } catch {
    throw fail();
  }
  if (!email) throw fail();
  return email;
}

/** 'Stage: Customer, Owner: Mia Manager', in the reader's language. */
function changes(r: RapportContext, patch: Patch, c: Saved): string {
  const l = r.locale;
  const parts: string[] = [];
  if (patch.stage) parts.push(`${st(l, 'label_stage')}: ${st(l, `stage_${patch.stage}`)}`);
  if ('ownerEmail' in patch) parts.push(`${st(l, 'label_owner')}: ${c.owner?.name ?? st(l, 'unassigned')}`);
  if ('title' in patch) parts.push(`${st(l, 'label_title')}: ${c.title ?? '—'}`);
  if ('reading' in patch) parts.push(`${st(l, 'label_reading')}: ${c.reading ?? '—'}`);
  if ('phone' in patch) parts.push(`${st(l, 'label_phone')}: ${c.phone ?? '—'}`);
  if (patch.tags) parts.push(`${st(l, 'modal_label_tags')}: ${c.tags.join(', ') || '—'}`);
  return parts.join(SEPARATOR[l]);
}
