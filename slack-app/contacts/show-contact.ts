import type { WebClient } from '@slack/web-api';
import { json } from '../backend-client.js';
import { contactCardBlocks, contactPickerBlocks, noMatchBlocks } from './contact-card.js';
import type { RapportContext } from '../identity.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Whether a conversation has people from outside the company (Slack Connect).
 * There, nothing from the CRM is posted for all to read. DMs and unknown
 * channels count as internal only when Slack says so; a failed look-up counts
 * as external, the safe side.
 */
export async function isExternal(client: WebClient, channel: string | undefined): Promise<boolean> {
  if (!channel || channel.startsWith('D')) return false;
  try {
    const info = await client.conversations.info({ channel });
    const c = info.channel as { is_ext_shared?: boolean; is_shared?: boolean; is_pending_ext_shared?: boolean } | undefined;
    return Boolean(c?.is_ext_shared || c?.is_pending_ext_shared);
  } catch {
    return true;
  }
}

export interface CardPlace {
  /** the channel has people from outside the company: a link and nothing else */
  external: boolean;
  /** offer Share (the card is shown only to the person who asked) */
  shareable: boolean;
  /**
   * the card is posted where other people read it (a channel, a thread, a
   * group DM, Share): it carries no private entry, whoever asked. Ephemeral
   * answers, the asker's own DM with Rapport, modals and the App Home are not.
   */
  shared: boolean;
}

/** The card of one contact, in the reader's language and timezone. */
export async function contactCard(r: RapportContext, id: string, place: CardPlace) {
  const detail = await json(r.api.contacts[':id'].$get({ param: { id }, query: place.shared ? { shared: 'true' } : {} }));
  return contactCardBlocks(detail, {
    locale: r.locale,
    timeZone: r.timeZone,
    now: r.now().toISOString(),
    ...(r.publicUrl ? { publicUrl: r.publicUrl } : {}),
    external: place.external,
    shareable: place.shareable,
    shared: place.shared,
  });
}

/**
 * What a search shows: one match -> its card; several -> a list to pick from;
 * none -> say so and offer to create the contact. An address is looked up
 * exactly first, so "jane@acme.co.jp" finds Jane even when others match.
 */
export async function searchAnswer(r: RapportContext, query: string, opts: CardPlace) {
  if (EMAIL.test(query)) {
    const res = await r.api.contacts.lookup.$get({ query: { email: query } });
    if (res.ok) return contactCard(r, (await res.json()).id, opts);
  }
  const page = await json(r.api.contacts.$get({ query: { q: query, limit: '11' } }));
  const items = page.items;
  if (items.length === 1) return contactCard(r, items[0]!.id, opts);
  if (items.length === 0) return noMatchBlocks(query, r.locale);
  return contactPickerBlocks(items.slice(0, 10), query, r.locale, page.nextCursor ? undefined : items.length);
}
