import type { AckFn, BlockButtonAction, RespondFn, ViewOutput, ViewResponseAction } from '@slack/bolt';
import type { KnownBlock, ModalView } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import { BackendError, json } from '../backend-client.js';
import { errorBlocks } from './contact-card.js';
import { record, str } from '../limits.js';
import { mrkdwnEscape, truncate } from '../format.js';
import { st, type SlackMessageKey } from '../i18n/index.js';
import { rapportOf, type RapportContext } from '../identity.js';
import { MODAL_LIMITS } from './modals.js';
import { isTimeZone, zonedToUtc } from './zoned-time.js';

/**
 * What the modal listeners share: private_metadata, reading view state, opening
 * a modal from a button, saving a submission within Slack's 3 s, and telling
 * the person what happened.
 */

/** What a modal carries from the button that opened it to its submission. */
export interface Meta {
  /** contact id */
  c?: string;
  /** channel the button was pressed in, for the confirmation */
  ch?: string;
  /** contact name, for the confirmation */
  n?: string;
  /** edit: a short hash of each field as shown, so only what the person changed is sent */
  h?: Record<string, string>;
  /** edit: the owner's Slack id the select started on */
  o?: string;
  /** add follow-up after a meeting: the meeting interaction it comes from */
  i?: string;
}

export function encodeMeta(meta: Meta): string {
  const text = JSON.stringify({ ...meta, ...(meta.n ? { n: truncate(meta.n, 300) } : {}) });
  return text.length <= MODAL_LIMITS.privateMetadata ? text : JSON.stringify({ ...meta, n: undefined });
}

export function decodeMeta(view: ViewOutput): Meta {
  try {
    const v = record(JSON.parse(view.private_metadata || '{}')) ?? {};
    const h = record(v.h);
    return {
      ...(str(v.c) ? { c: str(v.c)! } : {}),
      ...(str(v.ch) ? { ch: str(v.ch)! } : {}),
      ...(str(v.n) ? { n: str(v.n)! } : {}),
      ...(h ? { h: Object.fromEntries(Object.entries(h).filter(([, x]) => typeof x === 'string')) as Record<string, string> } : {}),
      ...(str(v.o) ? { o: str(v.o)! } : {}),
      ...(str(v.i) && /^[0-9a-f-]{36}$/i.test(str(v.i)!) ? { i: str(v.i)! } : {}),
    };
  } catch {
    return {};
  }
}

// ---------------------------------------------------------------- view state

type Input = { block: string; action: string };
const stateOf = (view: ViewOutput, id: Input) => view.state.values[id.block]?.[id.action];
/** A text input's value, trimmed; '' when empty. */
export const textOf = (view: ViewOutput, id: Input) => (stateOf(view, id)?.value ?? '').trim();
export const optionOf = (view: ViewOutput, id: Input) => stateOf(view, id)?.selected_option?.value ?? undefined;
export const userOf = (view: ViewOutput, id: Input) => stateOf(view, id)?.selected_user ?? undefined;

export type FieldErrors = Record<string, string>;

/** Adds errors for required/too long text inputs. */
export function checkText(errors: FieldErrors, locale: RapportContext['locale'], id: Input, value: string, opts: { required?: boolean; max: number }) {
  if (opts.required && value === '') errors[id.block] = st(locale, 'modal_err_required');
  else if (value.length > opts.max) errors[id.block] = st(locale, 'modal_err_too_long', { max: opts.max });
}

/** The time zone to read pickers in: the member's, or UTC if theirs is unknown to Intl. */
export const zoneOf = (r: RapportContext) => (isTimeZone(r.timeZone) ? r.timeZone : 'UTC');

/**
 * A date and time picker pair read in the member's zone, as ISO UTC, or the
 * error of the field that is wrong.
 */
export function readWhen(view: ViewOutput, r: RapportContext, date: Input, time: Input): { iso: string } | { errors: FieldErrors } {
  const d = stateOf(view, date)?.selected_date ?? '';
  const t = stateOf(view, time)?.selected_time ?? '';
  const year = Number(d.slice(0, 4));
  const dateOk = zonedToUtc(d, '00:00', 'UTC') !== null && year >= 1970 && year < 2200;
  if (!dateOk) return { errors: { [date.block]: st(r.locale, 'modal_err_date') } };
  const iso = zonedToUtc(d, t, zoneOf(r));
  if (!iso) return { errors: { [time.block]: st(r.locale, 'modal_err_time') } };
  return { iso };
}

// ---------------------------------------------------------------- telling the person

type Message = { text: string; blocks?: KnownBlock[] };

/**
 * A private message to user: ephemeral in channel, or a DM from the app when
 * there is no channel, it is a DM (the app may not be in it), or the
 * ephemeral cannot be posted there.
 */
export async function tellUser(client: WebClient, channel: string | undefined, user: string, message: Message): Promise<void> {
  if (channel && !channel.startsWith('D')) {
    try {
      await client.chat.postEphemeral({ channel, user, text: message.text, ...(message.blocks ? { blocks: message.blocks } : {}) });
      return;
    } catch {
      // the app is not in that channel: a DM still reaches them
    }
  }
  await client.chat.postMessage({
    channel: user,
    text: message.text,
    ...(message.blocks ? { blocks: message.blocks } : {}),
    unfurl_links: false,
  });
}

/** A sentence from the catalogue, escaped for mrkdwn. */
export const said = (r: RapportContext, key: SlackMessageKey, params: Record<string, unknown> = {}): Message => ({
  text: mrkdwnEscape(st(r.locale, key, params)),
});

// ---------------------------------------------------------------- opening a modal

type ButtonArgs = {
  ack: () => Promise<void>;
  body: BlockButtonAction;
  client: WebClient;
  respond: RespondFn;
  context: Record<string, unknown>;
};

/**
 * A button that opens a modal: ack, build the view (it may ask the backend),
 * views.open with the press's trigger_id. A failure is told to the person.
 */
export async function openModal(
  { ack, body, client, respond, context }: ButtonArgs,
  build: (r: RapportContext, value: string, channel: string | undefined) => Promise<ModalView>,
) {
  await ack();
  const r = rapportOf(context);
  if (!r) return;
  try {
    const view = await build(r, body.actions[0]?.value ?? '', body.channel?.id);
    await client.views.open({ trigger_id: body.trigger_id, view });
  } catch (e) {
    await respond({ response_type: 'ephemeral', replace_original: false, ...errorBlocks(r.locale, reasonOf(e)) });
    if (!(e instanceof BackendError && e.status < 500)) throw e;
  }
}

/**
 * What a contact button's value names: the contact, and for the buttons of a
 * nudge after a meeting, the meeting's start after a '|' and its interaction
 * after another (the modals open prefilled with it).
 *   buttonTarget('c1') = { contactId: 'c1' }
 *   buttonTarget('c1|2026-12-01T01:00:00Z') = { contactId: 'c1', meetingAt: '2026-12-01T01:00:00Z' }
 *   buttonTarget('c1|2026-12-01T01:00:00Z|i1') = { contactId: 'c1', meetingAt: '2026-12-01T01:00:00Z', meetingId: 'i1' }
 */
export function buttonTarget(value: string): { contactId: string; meetingAt?: string; meetingId?: string } {
  const [contactId = '', at, meetingId] = value.split('|');
  if (!at || Number.isNaN(Date.parse(at))) return { contactId };
  return meetingId && /^[0-9a-f-]{36}$/i.test(meetingId) ? { contactId, meetingAt: at, meetingId } : { contactId, meetingAt: at };
}

/**
 * The title of the meeting a nudge's button names, to prefill its modal
 * with; undefined when it names none or the meeting cannot be read (the
 * modal then opens empty rather than not at all).
 */
export async function meetingTitle(r: RapportContext, meetingId: string | undefined): Promise<string | undefined> {
  if (!meetingId) return undefined;
  try {
    const i = await json(r.api.interactions[':id'].$get({ param: { id: meetingId } }));
    return i.subject?.replace(/\s+/g, ' ').trim() || undefined;
  } catch {
    return undefined;
  }
}

export const reasonOf = (e: unknown) => (e instanceof BackendError ? e.message : e instanceof Error ? e.message : String(e));

export interface ContactBrief {
  id: string;
  name: string;
  reading: string | null;
  stage: string;
  title: string | null;
  phone: string | null;
  tags: string[];
  owner: { id: string; name: string; email: string } | null;
}

export async function getContact(r: RapportContext, id: string): Promise<ContactBrief> {
  return json(r.api.contacts[':id'].$get({ param: { id }, query: {} }));
}

// ---------------------------------------------------------------- saving a submission

/** How long a submission waits for the backend before closing the modal and reporting later. */
export const SAVE_DEADLINE_MS = 2_000;

/**
 * The block a backend 4xx belongs on: the field its details name (zod's issue
 * paths, the database's `field`, an `email` that is taken), else the first.
 *   blockFor(err with details { issues: [{ path: 'emails.0' }] }, { emails: 'input_emails' }, 'input_name') = 'input_emails'
 */
export function blockFor(e: BackendError, blocks: Record<string, string>, first: string): string {
  const d = record(e.details);
  const names: string[] = [];
  if (str(d?.field)) names.push(str(d?.field)!);
  if (Array.isArray(d?.issues)) for (const i of d.issues) names.push(...(str(record(i)?.path) ?? '').split(/,\s*/).map((p) => p.split('.')[0]!));
  if (str(d?.email)) names.push('emails', 'email');
  return names.map((n) => blocks[n]).find((b): b is string => b !== undefined) ?? first;
}

/**
 * Saves a valid submission. Answered in time: a 4xx goes back onto the field
 * it names (the modal stays open), another failure onto the first field and to
 * the log. Too slow for Slack: the modal closes and the outcome, good or bad,
 * reaches the person in a private message.
 */
export async function submit<T>(args: {
  ack: AckFn<ViewResponseAction>;
  r: RapportContext;
  client: WebClient;
  user: string;
  meta: Meta;
  /** backend field name -> block id; the first entry is where other failures go */
  blocks: Record<string, string>;
  save: () => Promise<T>;
  saved: (result: T) => Promise<void>;
  /** how long to wait before closing the modal; SAVE_DEADLINE_MS unless a test says otherwise */
  deadlineMs?: number;
}): Promise<void> {
  const { ack, r } = args;
  const first = Object.values(args.blocks)[0]!;
  const saving = args.save().then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), args.deadlineMs ?? SAVE_DEADLINE_MS);
    timer.unref?.();
  });
  const outcome = await Promise.race([saving, late]);
  clearTimeout(timer);
  if (outcome !== 'late') {
    if (outcome.ok) {
      await ack();
      return args.saved(outcome.value);
    }
    const e = outcome.error;
    const block = e instanceof BackendError && e.status < 500 ? blockFor(e, args.blocks, first) : first;
    const message = e instanceof BackendError && e.status < 500 ? e.message : st(r.locale, 'failure', { reason: reasonOf(e) });
    await ack({ response_action: 'errors', errors: { [block]: truncate(message, 2000) } });
    if (!(e instanceof BackendError && e.status < 500)) throw e;
    return;
  }
  await ack();
  const result = await saving;
  if (result.ok) return args.saved(result.value);
  await tellUser(args.client, args.meta.ch, args.user, errorBlocks(r.locale, reasonOf(result.error)));
  if (!(result.error instanceof BackendError && result.error.status < 500)) throw result.error;
}
