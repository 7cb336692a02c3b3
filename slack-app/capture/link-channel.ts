import type { App, BlockButtonAction, RespondArguments } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import { BackendError, json } from '../backend-client.js';
import { errorBlocks } from '../contacts/contact-card.js';
import { LIMITS } from '../limits.js';
import { clipMrkdwn, mrkdwnEscape, truncate } from '../format.js';
import { st } from '../i18n/index.js';
import { rapportOf, type RapportContext } from '../identity.js';
import { ACTIONS } from '../ids.js';

type Target = { type: 'company' | 'contact'; id: string; name: string };
type Answer = { text: string; blocks: KnownBlock[] };

/** The same folding the database searches with: NFKC, lower case, no spaces. */
const fold = (s: string) => s.normalize('NFKC').toLowerCase().replace(/\s+/g, '');

/**
 * What "/crm link <query>" means: the one company whose name contains the
 * query, else the one contact found, else a choice (companies first).
 *   chooseTarget('acme', [{ id: 'c1', name: 'Jane', company: { id: 'k1', name: 'Acme KK' } }])
 *     = { pick: { type: 'company', id: 'k1', name: 'Acme KK' } }
 */
export function chooseTarget(
  query: string,
  contacts: readonly { id: string; name: string; company: { id: string; name: string } | null }[],
): { pick: Target } | { choices: Target[] } {
  const q = fold(query);
  const companies = new Map<string, Target>();
  for (const c of contacts) {
    if (c.company && fold(c.company.name).includes(q)) companies.set(c.company.id, { type: 'company', ...c.company });
  }
  if (companies.size === 1) return { pick: [...companies.values()][0]! };
  if (companies.size === 0 && contacts.length === 1) return { pick: { type: 'contact', id: contacts[0]!.id, name: contacts[0]!.name } };
  const people: Target[] = contacts.map((c) => ({ type: 'contact', id: c.id, name: c.name }));
  return { choices: [...companies.values(), ...people].slice(0, 10) };
}

const targetText = (r: RapportContext, t: { type: string; name: string }) =>
  st(r.locale, t.type === 'company' ? 'link_target_company' : 'link_target_contact', { name: t.name });

const plain = (text: string): Answer => ({
  text,
  blocks: [{ type: 'section', text: { type: 'mrkdwn', text: clipMrkdwn(mrkdwnEscape(text), LIMITS.sectionText) } }],
});

async function link(r: RapportContext, client: WebClient, teamId: string, channel: string, target: Target): Promise<Answer> {
  const info = await client.conversations.info({ channel });
  const c = info.channel as { name?: string; is_ext_shared?: boolean; is_pending_ext_shared?: boolean; is_member?: boolean } | undefined;
  const external = Boolean(c?.is_ext_shared || c?.is_pending_ext_shared);
  const saved = await json(
    r.api['channel-links'][':teamId'][':channelId'].$put({
      param: { teamId, channelId: channel },
      json: {
        ...(c?.name ? { channelName: c.name } : {}),
        isExtShared: external,
        ...(target.type === 'company' ? { companyId: target.id } : { contactId: target.id }),
      },
    }),
  );
  const lines = [
    st(r.locale, 'link_done', { target: targetText(r, saved.target) }),
    ...(c?.is_member === false ? [st(r.locale, 'link_invite')] : []),
    ...(external ? [st(r.locale, 'link_external')] : []),
  ];
  return plain(lines.join('\n'));
}

/** /crm link <company or contact>: capture this channel from now on. */
export async function linkCommand(r: RapportContext, client: WebClient, teamId: string, channel: string, query: string): Promise<Answer> {
  if (channel.startsWith('D')) return plain(st(r.locale, 'link_not_in_dm'));
  if (!query) return plain(st(r.locale, 'link_usage'));
  const page = await json(r.api.contacts.$get({ query: { q: query, limit: '20' } }));
  const choice = chooseTarget(query, page.items);
  if ('pick' in choice) return link(r, client, teamId, channel, choice.pick);
  if (choice.choices.length === 0) return plain(st(r.locale, 'link_no_match', { query }));
  const blocks: KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: clipMrkdwn(mrkdwnEscape(st(r.locale, 'link_pick', { query })), LIMITS.sectionText) } },
    ...choice.choices.map(
      (t): KnownBlock => ({
        type: 'section',
        text: { type: 'mrkdwn', text: clipMrkdwn(mrkdwnEscape(targetText(r, t)), LIMITS.sectionText) },
        accessory: {
          type: 'button',
          action_id: ACTIONS.linkPick,
          text: { type: 'plain_text', text: truncate(st(r.locale, 'btn_link'), LIMITS.buttonText) },
          value: `${t.type}:${t.id}`,
        },
      }),
    ),
  ];
  return { text: st(r.locale, 'link_pick', { query }), blocks };
}

/** /crm unlink: stop capturing this channel; what was logged stays. */
export async function unlinkCommand(r: RapportContext, teamId: string, channel: string): Promise<Answer> {
  if (channel.startsWith('D')) return plain(st(r.locale, 'unlink_none'));
  const res = await json(r.api['channel-links'][':teamId'][':channelId'].$delete({ param: { teamId, channelId: channel } }));
  return plain(res.unlinked && res.link ? st(r.locale, 'unlink_done', { target: targetText(r, res.link.target) }) : st(r.locale, 'unlink_none'));
}

/** A choice from "/crm link" with several candidates. */
export function registerLinkActions(bolt: App) {
  bolt.action<BlockButtonAction>(ACTIONS.linkPick, async ({ ack, action, body, respond, client, context }) => {
    await ack();
    const r = rapportOf(context);
    const channel = body.channel?.id;
    const [type, id] = (action.value ?? '').split(':');
    if (!r || !channel || (type !== 'company' && type !== 'contact') || !id) return;
    const teamId = body.team?.id ?? String(context.teamId ?? '');
    try {
      const answer = await link(r, client, teamId, channel, { type, id, name: '' });
      await respond({ replace_original: true, response_type: 'ephemeral', ...answer } as RespondArguments);
    } catch (e) {
      await respond({
        response_type: 'ephemeral',
        ...errorBlocks(r.locale, e instanceof BackendError ? e.message : 'error'),
      } as RespondArguments);
      if (!(e instanceof BackendError && e.status < 500)) throw e;
    }
  });
}
