import type { App } from '@slack/bolt';
import type { LinkUnfurls } from '@slack/types';
import { BackendError, json } from '../backend-client.js';
import { contactUnfurlBlocks, linkOnlyUnfurlBlocks } from './unfurl-blocks.js';
import { rapportOf } from '../identity.js';
import { isExternal } from './show-contact.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The contact id in a link to a contact in Rapport, or undefined for any other
 * link (another host, another path, not an id). Query and fragment are ignored.
 *   contactIdFromUrl('https://rapport.example.com/c/0B7C2F4E-5A1D-4E2B-9C3D-1A2B3C4D5E6F?x=1', 'https://rapport.example.com')
 *     = '0b7c2f4e-5a1d-4e2b-9c3d-1a2b3c4d5e6f'
 *   contactIdFromUrl('https://evil.example/c/0b7c…', 'https://rapport.example.com') = undefined
 */
export function contactIdFromUrl(url: string, publicUrl: string): string | undefined {
  let link: URL;
  let base: URL;
  try {
    link = new URL(url);
    base = new URL(publicUrl);
  } catch {
    return undefined;
  }
  if (!/^https?:$/.test(link.protocol) || link.host !== base.host) return undefined;
  const prefix = `${base.pathname.replace(/\/+$/, '')}/c/`;
  if (!link.pathname.startsWith(prefix)) return undefined;
  const id = link.pathname.slice(prefix.length).replace(/\/$/, '');
  return UUID.test(id) ? id.toLowerCase() : undefined;
}

/**
 * A link to a contact, pasted in Slack, unfurls as a compact card; where
 * people from outside the company read along, as a link to Rapport and
 * nothing else. A contact the member cannot see (the backend's 404) is left
 * alone, and so is every link not under the public URL.
 */
export function registerLinkShared(bolt: App) {
  bolt.event('link_shared', async ({ event, client, context }) => {
    const r = rapportOf(context);
    if (!r?.publicUrl) return;
    const publicUrl = r.publicUrl.replace(/\/+$/, '');
    const wanted = new Map<string, string>();
    // a payload without links, or with a link that is no string, unfurls nothing (and is not retried)
    for (const link of Array.isArray(event.links) ? event.links : []) {
      const url: unknown = link?.url;
      if (typeof url !== 'string') continue;
      const id = contactIdFromUrl(url, publicUrl);
      if (id) wanted.set(url, id);
    }
    if (wanted.size === 0) return;

    const external = await isExternal(client, event.channel);
    const opts = { locale: r.locale, timeZone: r.timeZone, now: r.now().toISOString() };
    const unfurls: LinkUnfurls = {};
    let failure: unknown;
    for (const [url, id] of wanted) {
      try {
        // asked even where only a link is shown: an unknown id unfurls to nothing at all;
        // as a card for the channel (shared), which everyone in it reads
        const detail = await json(r.api.contacts[':id'].$get({ param: { id }, query: { shared: 'true' } }));
        const canonical = `${publicUrl}/c/${id}`;
        unfurls[url] = { blocks: external ? linkOnlyUnfurlBlocks(canonical, r.locale) : contactUnfurlBlocks(detail, canonical, opts) };
      } catch (e) {
        if (e instanceof BackendError && e.status < 500) continue;
        failure ??= e;
      }
    }
    if (Object.keys(unfurls).length > 0) {
      // a link still in the message composer has no channel and ts yet, only its unfurl id
      const target =
        event.source === 'composer' && event.unfurl_id
          ? { source: 'composer' as const, unfurl_id: event.unfurl_id }
          : { channel: event.channel, ts: event.message_ts };
      await client.chat.unfurl({ ...target, unfurls });
    }
    if (failure) throw failure;
  });
}
