import { App, type Receiver } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import { type BackendLink, memberClient, serviceClient } from './backend-client.js';
import { registerAlertSettings } from './alert-settings/index.js';
import { registerCapture } from './capture/index.js';
import { registerContacts } from './contacts/index.js';
import { registerAccounts } from './accounts/index.js';
import { registerCrmCommand } from './crm-command.js';
import { registerDeals } from './deals/index.js';
import { dedupeEvents } from './dedupe.js';
import { registerDigestActions } from './digest/actions.js';
import { registerDigestDealActions } from './digest/deal-actions.js';
import { registerAlertActions } from './alerts/actions.js';
import { registerDuplicateActions } from './duplicates/review.js';
import { registerFollowUps } from './follow-ups/index.js';
import { registerHome } from './home/index.js';
import { identify } from './identity.js';
import { registerOAuthEvents } from './install/events.js';
import type { InstallationStore } from './install/installations.js';
import { registerSegmentActions } from './segments/list-stats-tidy.js';

export interface SlackAppOptions {
  /** checked by slackRoutes over HTTP; Socket Mode needs none */
  signingSecret?: string;
  /** single-workspace mode: the bot token from the environment */
  botToken?: string;
  /** many workspaces ("Add to Slack"): each team's installation, its token decrypted in this process */
  installations?: InstallationStore;
  /** SLACK_APP_TOKEN (xapp-...): Socket Mode, through Bolt's SocketModeReceiver, instead of slackRoutes */
  appToken?: string;
  /** SLACK_API_URL: another Web API base (a local Slack stand-in); Slack's own by default */
  apiUrl?: string;
  publicUrl?: string;
  backend: BackendLink;
  clock?: () => Date;
  logError?: (err: unknown) => void;
}

/** A receiver that receives nothing: requests come in through slackRoutes(), which calls processEvent. */
const noReceiver: Receiver = { init() {}, start: async () => undefined, stop: async () => undefined };

/**
 * The Bolt app: every listener, wired to the backend through the typed client.
 * It is driven by slackRoutes (HTTP) or by Socket Mode; it never talks to the
 * database itself.
 */
export function createSlackBolt(opts: SlackAppOptions) {
  const apiUrl = opts.apiUrl ? opts.apiUrl.replace(/\/?$/, '/') : undefined;
  const clientOptions = { ...(apiUrl ? { slackApiUrl: apiUrl } : {}), retryConfig: { retries: 0 } };
  let botIdentity: Promise<{ botId: string; botUserId: string; teamId: string }> | undefined;
  const { botToken, installations } = opts;
  if (!botToken && !installations) throw new Error('the Slack app needs a bot token (one workspace) or installations (many)');
  // many workspaces: the team's own installation (an unknown team fails with
  // TeamNotInstalledError); one workspace: the environment's token, the bot's
  // own ids asked once
  const authorize = installations
    ? async ({ teamId }: { teamId?: string | undefined }) => installations.authorize(teamId)
    : async () => {
        botIdentity ??= new WebClient(botToken, clientOptions).auth
          .test()
          .then((r) => ({ botId: String(r.bot_id ?? ''), botUserId: String(r.user_id ?? ''), teamId: String(r.team_id ?? '') }))
          .catch((e) => {
            botIdentity = undefined;
            throw e;
          });
        const { botId, botUserId } = await botIdentity;
        return { botToken: botToken!, botId, botUserId };
      };
  // only the single-workspace token's own team binds by itself; with
  // installations, a team binds when it is installed
  const mayBind = async (teamId: string) => !installations && botIdentity !== undefined && (await botIdentity).teamId === teamId;
  const bolt = new App({
    ...(opts.appToken ? { socketMode: true, appToken: opts.appToken } : { receiver: noReceiver }),
    clientOptions,
    authorize,
    tokenVerificationEnabled: false,
  });
  const service = serviceClient(opts.backend);
  const clock = opts.clock ?? (() => new Date());

  bolt.use(dedupeEvents(service));

  // Slack waits at most 3 s for an answer. A slash command, a button or a
  // shortcut is answered with an empty ack at once, before any backend call;
  // its listener then works and replies through response_url or the Web API.
  // (Modal submissions and the picker's options answer with content, so they
  // ack in their listener.)
  bolt.use(async (args) => {
    const body = args.body as { type?: string; command?: string };
    if ('ack' in args && (body.command !== undefined || ['block_actions', 'message_action', 'shortcut'].includes(body.type ?? ''))) {
      await (args.ack as () => Promise<void>)();
    }
    await args.next();
  });

  // who is acting: the workspace of the team, the member of the user; an
  // unknown user is told how to get access and nothing else runs
  bolt.use(async (args) => {
    const who = await identify(args, service, mayBind, (e) => (opts.logError ?? ((err) => console.error('[rapport] slack:', err)))(e));
    if (who === 'unknown') return;
    if (who) {
      args.context.rapport = {
        ...who,
        api: memberClient(opts.backend, who.workspaceId, who.slackUserId),
        publicUrl: opts.publicUrl,
        now: clock,
      };
    }
    await args.next();
  });

  // the one slash command, whose words lead to the features; then each
  // feature's own buttons, modals and events
  registerCrmCommand(bolt);
  registerContacts(bolt);
  registerAccounts(bolt);
  registerFollowUps(bolt);
  registerCapture(bolt, service);
  registerDigestActions(bolt);
  registerDigestDealActions(bolt);
  registerAlertActions(bolt);
  registerDuplicateActions(bolt);
  registerSegmentActions(bolt);
  registerDeals(bolt);
  registerHome(bolt);
  registerAlertSettings(bolt, service, opts.logError);
  registerOAuthEvents(bolt, { backend: opts.backend, installations });

  bolt.error(async (e) => {
    (opts.logError ?? ((err) => console.error('[rapport] slack:', err)))(e);
  });
  return bolt;
}
