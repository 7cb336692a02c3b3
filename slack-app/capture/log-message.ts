import type { App, BlockSuggestion, MessageShortcut, ViewSubmitAction } from '@slack/bolt';
import type { KnownBlock, ModalView } from '@slack/types';
import { BackendError, json } from '../backend-client.js';
import { LIMITS } from '../limits.js';
import { clipMrkdwn, formatDate, mrkdwnEscape, truncate } from '../format.js';
import { st, type Locale } from '../i18n/index.js';
import { rapportOf, type RapportContext } from '../identity.js';
import { INPUTS, SHORTCUTS, VIEWS } from '../ids.js';
import { authorOf } from './authors.js';
import { captureOfMessage, tsToIso, type CaptureKind } from './message.js';

/** Slack's limit on private_metadata. */
const METADATA_MAX = 3000;
const KINDS: CaptureKind[] = ['slack', 'call', 'meeting', 'note'];

const kindLabel = (locale: Locale, k: CaptureKind) => st(locale, `kind_${k}`);

/** What the modal carries from the shortcut to the submission. */
interface LogMeta {
  team: string;
  channel: string;
  ts: string;
  thread?: string;
  user?: string;
  text: string;
  cut: boolean;
  link?: string;
}

/**
 * The metadata as JSON within Slack's 3,000 characters: a long message is cut
 * (its permalink keeps the whole) and the cut is said in the stored body.
 */
export function packMeta(meta: Omit<LogMeta, 'cut'>): string {
  let text = meta.text;
  for (;;) {
    const packed = JSON.stringify({ ...meta, text, cut: text !== meta.text });
    if (packed.length <= METADATA_MAX) return packed;
    text = truncate(text, Math.max(0, text.length - (packed.length - METADATA_MAX) - 16));
  }
}

/** heading: mrkdwn, already escaped (it may carry the author's <@U…> mention). */
function logModal(locale: Locale, meta: string, preview: { heading: string; text: string }): ModalView {
  const m = (key: Parameters<typeof st>[1], params?: Record<string, unknown>) => st(locale, key, params);
  const option = (k: CaptureKind) => ({ text: { type: 'plain_text' as const, text: kindLabel(locale, k) }, value: k });
  const blocks: KnownBlock[] = [
    {
      type: 'context',
      elements: [{ type: 'mrkdwn', text: clipMrkdwn(preview.heading, LIMITS.contextText) }],
    },
    { type: 'section', text: { type: 'mrkdwn', text: clipMrkdwn(mrkdwnEscape(preview.text) || ' ', LIMITS.sectionText) } },
    {
      type: 'input',
      block_id: INPUTS.contact.block,
      label: { type: 'plain_text', text: m('log_contact_label') },
      element: {
        type: 'external_select',
        action_id: INPUTS.contact.action,
        min_query_length: 1,
        placeholder: { type: 'plain_text', text: m('log_contact_placeholder') },
      },
    },
    {
      type: 'input',
      block_id: INPUTS.kind.block,
      label: { type: 'plain_text', text: m('log_kind_label') },
      element: { type: 'static_select', action_id: INPUTS.kind.action, options: KINDS.map(option), initial_option: option('slack') },
    },
    {
      type: 'input',
      block_id: INPUTS.note.block,
      optional: true,
      label: { type: 'plain_text', text: m('log_note_label') },
      element: { type: 'plain_text_input', action_id: INPUTS.note.action, multiline: true, max_length: 3000 },
    },
  ];
  return {
    type: 'modal',
    callback_id: VIEWS.logMessage,
    private_metadata: meta,
    title: { type: 'plain_text', text: m('log_title') },
    submit: { type: 'plain_text', text: m('log_submit') },
    close: { type: 'plain_text', text: m('log_cancel') },
    blocks,
  };
}

function infoModal(locale: Locale, text: string): ModalView {
  return {
    type: 'modal',
    title: { type: 'plain_text', text: st(locale, 'log_title') },
    close: { type: 'plain_text', text: st(locale, 'log_cancel') },
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: clipMrkdwn(text, LIMITS.sectionText) } }],
  };
}

/** The contact picker's options as the person types: name, and company when there is one. */
async function contactOptions(r: RapportContext, typed: string) {
  const q = typed.trim().slice(0, 200);
  if (!q) return [];
  const page = await json(r.api.contacts.$get({ query: { q, limit: '20' } }));
  return (page.items as { id: string; name: string; company: { name: string } | null; emails: string[] }[]).map((c) => ({
    text: { type: 'plain_text' as const, text: truncate([c.name, c.company?.name ?? c.emails[0]].filter(Boolean).join(' · '), 75) },
    value: c.id,
  }));
}

/**
 * "Log to Rapport" on any message: a modal to pick the contact it is about
 * (searching the backend as the person types), its kind and an optional note.
 * The message is stored with its permalink, author and the people it
 * mentions; logging the same message again says who logged it already.
 */
export function registerLogMessage(bolt: App) {
  bolt.shortcut<MessageShortcut>(SHORTCUTS.logMessage, async ({ shortcut, ack, client, context }) => {
    await ack();
    const r = rapportOf(context);
    if (!r) return;
    const m = shortcut.message as { ts: string; thread_ts?: string; user?: string; text?: string };
    const team = shortcut.team?.id ?? String(context.teamId ?? '');
    const permalink = await client.chat
      .getPermalink({ channel: shortcut.channel.id, message_ts: m.ts })
      .then((p) => p.permalink)
      .catch(() => undefined);
    const meta = packMeta({
      team,
      channel: shortcut.channel.id,
      ts: m.ts,
      ...(m.thread_ts ? { thread: m.thread_ts } : {}),
      ...(m.user ? { user: m.user } : {}),
      text: m.text ?? '',
      ...(permalink ? { link: permalink } : {}),
    });
    // the author as a mention Slack renders (an id, never text someone typed)
    const heading = mrkdwnEscape(st(r.locale, 'log_preview', { author: '\u0000', date: formatDate(tsToIso(m.ts), r.locale, r.timeZone) })).replace(
      '\u0000',
      m.user ? `<@${m.user}>` : mrkdwnEscape(st(r.locale, 'someone')),
    );
    const view = logModal(r.locale, meta, { heading, text: m.text ?? '' });
    await client.views.open({ trigger_id: shortcut.trigger_id, view });
  });

  bolt.options<'block_suggestion'>(INPUTS.contact.action, async ({ options, ack, context }) => {
    const r = rapportOf(context);
    if (!r) return ack({ options: [] });
    try {
      await ack({ options: await contactOptions(r, (options as BlockSuggestion).value ?? '') });
    } catch {
      await ack({ options: [] });
    }
  });

  bolt.view<ViewSubmitAction>(VIEWS.logMessage, async ({ ack, view, client, context, body }) => {
    const r = rapportOf(context);
    if (!r) return ack();
    const values = view.state.values;
    const contactId = values[INPUTS.contact.block]?.[INPUTS.contact.action]?.selected_option?.value;
    const kindValue = values[INPUTS.kind.block]?.[INPUTS.kind.action]?.selected_option?.value;
    const kind: CaptureKind = KINDS.includes(kindValue as CaptureKind) ? (kindValue as CaptureKind) : 'slack';
    const note = values[INPUTS.note.block]?.[INPUTS.note.action]?.value?.trim();
    if (!contactId) return ack({ response_action: 'errors', errors: { [INPUTS.contact.block]: st(r.locale, 'log_needs_contact') } });
    let meta: LogMeta;
    try {
      meta = JSON.parse(view.private_metadata) as LogMeta;
    } catch {
      return ack({
        response_action: 'errors',
        errors: { [INPUTS.contact.block]: st(r.locale, 'failure', { reason: 'private_metadata' }) },
      });
    }
    try {
      const author = await authorOf(client, meta.team, meta.user);
      const capture = captureOfMessage(
        { ts: meta.ts, ...(meta.thread ? { thread_ts: meta.thread } : {}), ...(meta.user ? { user: meta.user } : {}), text: meta.text },
        {
          teamId: meta.team,
          channelId: meta.channel,
          kind,
          author,
          ...(meta.link ? { permalink: meta.link } : {}),
          ...(context.botUserId ? { botUserId: context.botUserId } : {}),
        },
      );
      if (meta.cut) capture.body = `${capture.body ?? ''}\n\n${st(r.locale, 'log_cut')}`;
      const res = await r.api.interactions.$post({
        json: { ...capture, participants: [...capture.participants, { role: 'about', contactId }] },
      });
      const logged = (await json(res)) as { author: { name: string } | null; createdAt: string; id: string };
      if (note) {
        await json(
          r.api.interactions.$post({
            json: {
              kind: 'note',
              source: 'slack',
              externalId: `note:${capture.externalId}:${body.user.id}`,
              occurredAt: r.now().toISOString(),
              body: note,
              threadKey: capture.threadKey,
              participants: [{ role: 'about', contactId }],
            },
          }),
        );
      }
      if (res.status === 200) {
        const said = st(r.locale, 'log_already', {
          name: logged.author?.name ?? st(r.locale, 'someone'),
          date: formatDate(logged.createdAt, r.locale, r.timeZone),
        });
        return ack({ response_action: 'update', view: infoModal(r.locale, mrkdwnEscape(said)) });
      }
      await ack();
      const contact = (await json(r.api.contacts[':id'].$get({ param: { id: contactId }, query: {} }))) as { name: string };
      const link = meta.link ? `<${meta.link}|${mrkdwnEscape(kindLabel(r.locale, kind))}>` : mrkdwnEscape(kindLabel(r.locale, kind));
      const text = st(r.locale, 'log_done', { contact: mrkdwnEscape(contact.name), link });
      // ephemeral where the message is; a DM when Rapport is not in that channel
      await client.chat
        .postEphemeral({ channel: meta.channel, user: body.user.id, text })
        .catch(() => client.chat.postMessage({ channel: body.user.id, text }));
    } catch (e) {
      const reason = e instanceof BackendError ? e.message : st(r.locale, 'failure', { reason: (e as Error).message ?? 'error' });
      await ack({ response_action: 'errors', errors: { [INPUTS.contact.block]: truncate(reason, 300) } }).catch(() => undefined);
      if (!(e instanceof BackendError && e.status < 500)) throw e;
    }
  });
}
