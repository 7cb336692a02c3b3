import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { COMMAND, SHORTCUTS, SUBSCRIBED_EVENTS } from '../../slack-app/ids.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** The bot scope each Web API method the code calls needs. */
const SCOPES_BY_METHOD: Record<string, string[]> = {
  'auth.test': [],
  'chat.postMessage': ['chat:write'],
  'chat.postEphemeral': ['chat:write'],
  'users.info': ['users:read', 'users:read.email'],
  'chat.update': ['chat:write'],
  'chat.getPermalink': [],
  'chat.unfurl': ['links:write'],
  'conversations.info': ['channels:read', 'groups:read'],
  'conversations.open': ['im:write'],
  'conversations.history': ['im:history'],
  'views.open': [],
  'views.push': [],
  'views.update': [],
  'views.publish': [],
  'oauth.v2.access': [],
};
const SCOPES_BY_EVENT: Record<string, string[]> = {
  app_mention: ['app_mentions:read'],
  'message.im': ['im:history'],
  'message.channels': ['channels:history'],
  'message.groups': ['groups:history'],
  link_shared: ['links:read'],
};

async function sources(dir: string): Promise<string> {
  let out = '';
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out += await sources(p);
    else if (entry.name.endsWith('.ts')) out += await readFile(p, 'utf8');
  }
  return out;
}

describe('manifest.yml agrees with the code', async () => {
  const manifest = parse(await readFile(path.join(ROOT, 'manifest.yml'), 'utf8'));
  const code = await sources(path.join(ROOT, 'slack-app'));

  it('lists exactly the slash commands the code registers, all at /slack/events', () => {
    expect(manifest.features.slash_commands.map((c: { command: string }) => c.command)).toEqual([COMMAND]);
    for (const c of manifest.features.slash_commands) expect(c.url).toMatch(/\/slack\/events$/);
    expect(manifest.settings.interactivity.request_url).toMatch(/\/slack\/events$/);
    expect(manifest.settings.event_subscriptions.request_url).toMatch(/\/slack\/events$/);
  });

  it('lists exactly the shortcuts the code registers', () => {
    expect(manifest.features.shortcuts.map((s: { callback_id: string }) => s.callback_id).sort()).toEqual(Object.values(SHORTCUTS).sort());
    for (const id of Object.values(SHORTCUTS)) expect(code).toContain(`SHORTCUTS.${Object.entries(SHORTCUTS).find(([, v]) => v === id)![0]}`);
  });

  it('sends OAuth back to /slack/oauth_redirect (install) and /signin/slack/callback (Sign in with Slack), and options loads to /slack/events', () => {
    expect(manifest.oauth_config.redirect_urls.map((u: string) => new URL(u).pathname).sort()).toEqual(['/signin/slack/callback', '/slack/oauth_redirect']);
    expect([...manifest.oauth_config.scopes.user].sort()).toEqual(['email', 'openid', 'profile']);
    expect(manifest.settings.interactivity.message_menu_options_url).toMatch(/\/slack\/events$/);
  });

  it('subscribes to exactly the events the code listens to', () => {
    expect([...manifest.settings.event_subscriptions.bot_events].sort()).toEqual([...SUBSCRIBED_EVENTS].sort());
  });

  it('asks for exactly the scopes the Web API calls, commands and events need', () => {
    const methods = new Set([...code.matchAll(/client\.(\w+)\.(\w+)\(/g)].map((m) => `${m[1]}.${m[2]}`));
    expect([...methods].filter((m) => !(m in SCOPES_BY_METHOD))).toEqual([]);
    const needed = new Set<string>(['commands']);
    for (const m of methods) for (const s of SCOPES_BY_METHOD[m]!) needed.add(s);
    for (const e of SUBSCRIBED_EVENTS) for (const s of SCOPES_BY_EVENT[e] ?? []) needed.add(s);
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...needed].sort());
  });
});
