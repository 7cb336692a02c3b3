import { App, type Receiver } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import { type BackendLink, memberClient, serviceClient } from './backend-client.js';
import { registerCommands } from './commands/index.js';
import { registerActions } from './actions/index.js';
import { registerEvents } from './events/index.js';
import { registerHome } from './home/index.js';
import { registerViews } from './views/index.js';
import { registerCapture } from './capture/index.js';
import { identify } from './identity.js';

export interface SlackAppOptions {
  signingSecret: string;
  /** single-workspace mode: the bot token from the environment */
  botToken: string;
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
  let botIdentity: Promise<{ botId: string; botUserId: string }> | undefined;
  const bolt = new App({
    receiver: noReceiver,
    clientOptions,
    // one workspace: the environment's token; the bot's own ids are asked once
    authorize: async () => {
      botIdentity ??= new WebClient(opts.botToken, clientOptions)
        .auth.test()
        .then((r) => ({ botId: String(r.bot_id ?? ''), botUserId: String(r.user_id ?? '') }))
        .catch((e) => {
          botIdentity = undefined;
          throw e;
        });
      return { botToken: opts.botToken, ...(await botIdentity) };
    },
    tokenVerificationEnabled: false,
  });
  const service = serviceClient(opts.backend);
  const clock = opts.clock ?? (() => new Date());

  // who is acting: the workspace of the team, the member of the user; an
  // unknown user is told how to get access and nothing else runs
  bolt.use(async (args) => {
    const who = await identify(args, service, clock);
    if (who === 'unknown') return;
    if (who) {
      args.context.rapport = { ...who, api: memberClient(opts.backend, who.workspaceId, who.slackUserId), publicUrl: opts.publicUrl, now: clock };
    }
    await args.next();
  });

  registerCommands(bolt);
  registerActions(bolt);
  registerEvents(bolt);
  registerViews(bolt);
  registerHome(bolt);
  registerCapture(bolt);

  bolt.error(async (e) => {
    (opts.logError ?? ((err) => console.error('[rapport] slack:', err)))(e);
  });
  return bolt;
}
