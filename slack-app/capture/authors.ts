import type { WebClient } from '@slack/web-api';

const TTL_MS = 10 * 60_000;
const MAX = 5_000;
const cache = new Map<string, { at: number; author: { email?: string; name?: string } }>();

/**
 * The address and name a Slack user's profile shows (users:read.email), so a
 * customer writing in a Slack Connect channel is matched to their contact.
 * Remembered for ten minutes; a failed look-up gives {} (the message is still
 * captured, by Slack id).
 */
export async function authorOf(client: WebClient, teamId: string, user: string | undefined): Promise<{ email?: string; name?: string }> {
  if (!user) return {};
  const key = `${teamId}:${user}`;
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.author;
  try {
    const info = await client.users.info({ user });
    const profile = info.user?.profile;
    const name = profile?.real_name || profile?.display_name || info.user?.real_name || info.user?.name;
    const author = { ...(profile?.email ? { email: profile.email } : {}), ...(name ? { name } : {}) };
    if (cache.size >= MAX) cache.delete(cache.keys().next().value!);
    cache.set(key, { at: Date.now(), author });
    return author;
  } catch {
    return {};
  }
}
