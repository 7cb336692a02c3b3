import type { AllMiddlewareArgs, AnyMiddlewareArgs } from '@slack/bolt';
import { localeOf, type Locale } from '../backend/i18n/vocabulary.js';
import { json, type MemberClient, type ServiceClient } from './backend-client.js';
import { mrkdwnEscape } from './format.js';
import { st } from './i18n/index.js';
import { CHANNEL_STOP_EVENTS } from './alert-settings/events.js';

export interface Who {
  workspaceId: string;
  memberId: string;
  slackUserId: string;
  role: 'rep' | 'manager' | 'admin';
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

type SlackUserInfo = NonNullable<Awaited<ReturnType<AllMiddlewareArgs['client']['users']['info']>>['user']>;
type Identity = Awaited<ReturnType<typeof askIdentity>>;
type Profile = { full: boolean; name?: string; timezone?: string };

const askIdentity = (service: ServiceClient, body: Parameters<ServiceClient['identify']['$post']>[0]['json']) => json(service.identify.$post({ json: body }));

/**
 * What Rapport keeps of a Slack profile (users.info), and whether the person
 * may join by themselves: a full member of the team being served, never a
 * deleted user, a bot, a guest or another company's person in Slack Connect.
 *   profileOf({ team_id: 'T1', tz: 'Asia/Tokyo', profile: { real_name: '田中 花子' } }, 'T1')
 *     = { full: true, name: '田中 花子', timezone: 'Asia/Tokyo' }
 */
export function profileOf(user: SlackUserInfo, servedTeamId: string): Profile {
  const full = !user.deleted && !user.is_bot && !user.is_restricted && !user.is_ultra_restricted && user.team_id === servedTeamId;
  const name = (user.profile?.real_name || user.profile?.display_name || '').trim().slice(0, 200);
  const timezone = typeof user.tz === 'string' && user.tz.length <= 64 ? user.tz : '';
  return { full, ...(name ? { name } : {}), ...(timezone ? { timezone } : {}) };
}

const teamIdOf = (user: SlackUserInfo) => (typeof user.team_id === 'string' && /^[TE][A-Z0-9]{2,20}$/.test(user.team_id) ? user.team_id : undefined);

/** The names as a reader of locale lists them: 'Ann, Bob' or 'アン、ボブ'. */
export const listNames = (locale: Locale, names: readonly string[]) => names.join(locale === 'en' ? ', ' : '、');

/**
 * The member acting, by the Slack user's stored id, else by their Slack
 * profile email (users:read.email) when the team they belong to (users.info's
 * team_id: in a Slack Connect channel, their own company's) is bound to the
 * workspace; a full member of that team with no member yet joins as a rep when
 * the workspace's join policy lets them, and is told so once, by DM. A
 * member's Slack profile is read again once a day (profileDue), so their time
 * zone and language follow Slack. Returns null when the request has no human
 * behind it (bot messages, app_uninstalled), and 'unknown' after telling an
 * unknown person, privately and in their Slack language, how to get access
 * and whom to ask.
 * mayBind says whether an unknown team may bind to the only workspace: only
 * the single-workspace bot token's own team may.
 */
export async function identify(
  args: AnyMiddlewareArgs & AllMiddlewareArgs,
  service: ServiceClient,
  mayBind: (teamId: string) => Promise<boolean>,
  logError: (e: unknown) => void = () => {},
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
  // a channel shared, archived, deleted or left stops its alert rules: no member acts (the user is who archived it, or the bot)
  if ((CHANNEL_STOP_EVENTS as readonly string[]).includes(body.event?.type)) return null;

  const bind = await mayBind(teamId);
  const ask = (extra: { email?: string; slackLocale?: string; userTeamId?: string; profile?: Profile }) =>
    askIdentity(service, { teamId, slackUserId, bind, ...extra });
  const fromSlack = (user: SlackUserInfo) => {
    const userTeamId = teamIdOf(user);
    return {
      ...(user.locale ? { slackLocale: user.locale } : {}),
      ...(userTeamId ? { userTeamId } : {}),
      profile: profileOf(user, teamId),
    };
  };
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
      if (typeof body.response_url === 'string') await tellPrivately(args, slackUserId, unknownUser('en', found, ''));
      else if ('ack' in args && typeof args.ack === 'function') await (args.ack as () => Promise<void>)();
      return 'unknown';
    }
    email = info.user?.profile?.email ?? undefined;
    slackLocale = info.user?.locale ?? undefined;
    if (email && info.user) found = await ask({ email, ...fromSlack(info.user) });
  } else if (found.member?.profileDue && !mustAnswerAtOnce(body)) {
    // unread (Slack failed): an empty profile, so it is not asked again today
    found = await refreshProfile(args, slackUserId, found, (user) => ask(user ? fromSlack(user) : { profile: { full: false } }), logError);
  }
  if (found.team && found.member) {
    const m = found.member;
    const who: Who = {
      workspaceId: m.workspaceId,
      memberId: m.memberId,
      slackUserId,
      role: m.role,
      locale: m.locale,
      timeZone: m.timezone,
      name: m.name,
    };
    if (m.joined) await welcome(args, who, found.workspaceName ?? '', logError);
    return who;
  }
  const text = found.team ? unknownUser(asLocale(slackLocale), found, email ?? '') : st(asLocale(slackLocale), 'unknown_team');
  await tellPrivately(args, slackUserId, text);
  return 'unknown';
}

/**
 * A request whose answer Slack waits for with content (a modal's submission,
 * a select's options): no Slack profile read delays it; the next request reads it.
 */
const mustAnswerAtOnce = (body: { type?: unknown }) => body.type === 'view_submission' || body.type === 'block_suggestion';

/** How to get access, naming the workspace's admins when Rapport knows them. */
function unknownUser(locale: Locale, found: Identity, email: string): string {
  const admins = found.admins ?? [];
  const text = admins.length ? st(locale, 'unknown_user_admins', { email, admins: listNames(locale, admins) }) : st(locale, 'unknown_user', { email });
  return mrkdwnEscape(text);
}

/**
 * A member's Slack profile, read again (at most daily: the backend says when)
 * so their time zone and language follow Slack. When Slack cannot be read the
 * request goes on with what Rapport knew, and the profile counts as read for
 * today all the same: one users.info per person per day, never one per request.
 */
async function refreshProfile(
  args: AnyMiddlewareArgs & AllMiddlewareArgs,
  slackUserId: string,
  found: Identity,
  askWith: (user: SlackUserInfo | undefined) => Promise<Identity>,
  logError: (e: unknown) => void,
): Promise<Identity> {
  let user: SlackUserInfo | undefined;
  try {
    user = (await args.client.users.info({ user: slackUserId, include_locale: true })).user;
  } catch (e) {
    if ((e as { data?: { error?: string } }).data?.error !== 'user_not_found') logError(e);
  }
  try {
    const again = await askWith(user);
    if (!again.member) return found;
    // a welcome due was taken by the first answer: keep it
    return found.member?.joined ? { ...again, member: { ...again.member, joined: true }, workspaceName: found.workspaceName } : again;
  } catch (e) {
    logError(e);
    return found;
  }
}

/** Someone who joined by themselves is told once, by DM, in their language; a failure here never fails their request. */
async function welcome(args: AnyMiddlewareArgs & AllMiddlewareArgs, who: Who, workspace: string, logError: (e: unknown) => void) {
  try {
    await args.client.chat.postMessage({ channel: who.slackUserId, text: mrkdwnEscape(st(who.locale, 'welcome_joined', { workspace })) });
  } catch (e) {
    logError(e);
  }
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
