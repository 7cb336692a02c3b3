import type { AllMiddlewareArgs, AnyMiddlewareArgs } from '@slack/bolt';
import { localeOf, type Locale } from '../backend/i18n/vocabulary.js';
import { json, type MemberClient, type ServiceClient } from './backend-client.js';
import { st } from './i18n/index.js';

export interface Who {
  workspaceId: string;
  memberId: string;
  slackUserId: string;
  locale: Locale;
  timeZone: string;
  name: string;
}

/** What every listener finds in context.rapport once the person is known. */
export interface RapportContext extends Who {
  api: MemberClient;
  publicUrl?: string;
  now: () => Date;
}

export function rapportOf(context: Record<string, unknown>): RapportContext | undefined {
  return context.rapport as RapportContext | undefined;
}

/** The Slack user behind a request, wherever that kind of request keeps it. */
// biome-ignore lint/suspicious/noExplicitAny: Slack payloads of every kind; each field is checked where read
export function slackUserOf(body: Record<string, any>): string | undefined {
  return body.user_id ?? body.user?.id ?? body.event?.user ?? undefined;
}

/** Slack's locale ('ja-JP', 'zh-CN', 'en-US') as ours; English for any other. */
const asLocale = (slackLocale: string | undefined): Locale => localeOf(slackLocale) ?? 'en';

/**
 * The member acting, by the Slack user's stored id, else by their Slack
 * profile email (users:read.email) when the team they belong to (users.info's
 * team_id: in a Slack Connect channel, their own company's) is bound to the
 * workspace. Returns null when the request has no human behind it (bot
 * messages, app_uninstalled), and 'unknown' after telling an unknown person,
 * privately and in their Slack language, how to get access.
 * mayBind says whether an unknown team may bind to the only workspace: only
 * the single-workspace bot token's own team may.
 */
export async function identify(
  args: AnyMiddlewareArgs & AllMiddlewareArgs,
  service: ServiceClient,
  mayBind: (teamId: string) => Promise<boolean>,
): Promise<Who | null | 'unknown'> {
  // biome-ignore lint/suspicious/noExplicitAny: Slack payloads of every kind; each field is checked where read
  const body = args.body as Record<string, any>;
  const teamId: string | undefined = args.context.teamId ?? body.team_id ?? body.team?.id;
  const slackUserId = slackUserOf(body);
  if (!teamId || !slackUserId || body.event?.bot_id || body.event?.subtype === 'bot_message') return null;
  // a message in a channel is captured (capture/channel.ts), not answered: it
  // needs no member, and its author (a customer in Slack Connect, a colleague
  // not in Rapport) is told nothing
  if (body.event?.type === 'message' && body.event.channel_type !== 'im') return null;

  const bind = await mayBind(teamId);
  const ask = (extra: { email?: string; slackLocale?: string; userTeamId?: string }) =>
    json(service.identify.$post({ json: { teamId, slackUserId, bind, ...extra } }));
  let found = await ask({});
  let slackLocale: string | undefined;
  let email: string | undefined;
  if (found.team && !found.member) {
    let info: Awaited<ReturnType<typeof args.client.users.info>>;
    try {
      info = await args.client.users.info({ user: slackUserId, include_locale: true });
    } catch (e) {
      // a user Slack cannot find (deleted, another org's): nobody to tell where there is no response_url
      if ((e as { data?: { error?: string } }).data?.error !== 'user_not_found') throw e;
      if (typeof body.response_url === 'string') await tellPrivately(args, slackUserId, st('en', 'unknown_user', { email: '' }));
      else if ('ack' in args && typeof args.ack === 'function') await (args.ack as () => Promise<void>)();
      return 'unknown';
    }
    email = info.user?.profile?.email ?? undefined;
    slackLocale = info.user?.locale ?? undefined;
    const userTeamId = typeof info.user?.team_id === 'string' && /^[TE][A-Z0-9]{2,20}$/.test(info.user.team_id) ? info.user.team_id : undefined;
    if (email) found = await ask({ email, ...(slackLocale ? { slackLocale } : {}), ...(userTeamId ? { userTeamId } : {}) });
  }
  if (found.team && found.member) {
    const m = found.member as { workspaceId: string; memberId: string; locale: Locale; timezone: string; name: string };
    return { workspaceId: m.workspaceId, memberId: m.memberId, slackUserId, locale: m.locale, timeZone: m.timezone, name: m.name };
  }
  const text = st(asLocale(slackLocale), found.team ? 'unknown_user' : 'unknown_team', { email: email ?? '' });
  await tellPrivately(args, slackUserId, text);
  return 'unknown';
}

/** An ephemeral answer to whoever acted, by the channel the request offers. */
export async function tellPrivately(args: AnyMiddlewareArgs & AllMiddlewareArgs, user: string, text: string): Promise<void> {
  // biome-ignore lint/suspicious/noExplicitAny: Slack payloads of every kind; each field is checked where read
  const body = args.body as Record<string, any>;
  if ('ack' in args && typeof args.ack === 'function') await (args.ack as (r?: unknown) => Promise<void>)();
  if (typeof body.response_url === 'string' && 'respond' in args && typeof args.respond === 'function') {
    await (args.respond as (m: unknown) => Promise<unknown>)({ response_type: 'ephemeral', text });
    return;
  }
  const channel: string | undefined = body.channel_id ?? body.channel?.id ?? body.event?.channel;
  if (channel) await args.client.chat.postEphemeral({ channel, user, text });
  else await args.client.chat.postMessage({ channel: user, text });
}

export type { MemberClient };
