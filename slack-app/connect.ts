import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { App } from '@slack/bolt';
import type { Hono } from 'hono';
import { slackMode, type Env } from '../backend/env.js';
import type { PlugIn } from '../backend/server.js';
import type { AppDeps } from '../backend/types.js';
import { createSlackBolt } from './app.js';
import { json, scheduledMemberClient, serviceClient, type BackendLink } from './backend-client.js';
import { runNudgeStep } from './briefs/nudge.js';
import { runBriefStep } from './briefs/scheduler.js';
import { startAlertScheduler } from './alerts/scheduler.js';
import { digestClient, runDigestStep, startDigestScheduler, type DigestDeps, type StepResult } from './digest/scheduler.js';
import { slackRoutes } from './routes.js';
import { installationStore, type InstallationStore } from './install/installations.js';
import { installRoutes } from './install/routes.js';
import { sendMailboxNotice } from './mailbox/notice.js';
import { channelState } from './alert-settings/channel-state.js';
import { profileOf } from './identity.js';

export type SlackEnv = Pick<
  Env,
  | 'SLACK_SIGNING_SECRET'
  | 'SLACK_BOT_TOKEN'
  | 'SLACK_API_URL'
  | 'SLACK_APP_TOKEN'
  | 'SLACK_CLIENT_ID'
  | 'SLACK_CLIENT_SECRET'
  | 'RAPPORT_SECRET_KEY'
  | 'RAPPORT_PUBLIC_URL'
>;

export interface SlackConnection {
  mode: 'http' | 'socket' | 'off';
  /** 'one': the bot token from the environment; 'many': "Add to Slack" installations */
  workspaces: 'one' | 'many' | null;
  bolt?: App;
  installations?: InstallationStore;
  /** starts the in-process digest scheduler, and connects Socket Mode's websocket */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** resolves when every HTTP-delivered listener started so far has finished */
  idle(): Promise<void>;
  /** what the digest scheduler needs: start() ticks it in-process, POST /api/jobs/digests runs one step */
  digests?: DigestDeps;
}

/**
 * The Slack app on Rapport's origin, as the environment asks: over HTTP it
 * mounts POST /slack/events; in Socket Mode (SLACK_APP_TOKEN) Bolt's own
 * SocketModeReceiver carries the same listeners and no route is mounted; with
 * SLACK_CLIENT_ID it also mounts GET /slack/install (with a signed install
 * link only) and /slack/oauth_redirect.
 */
export function connectSlack(
  // biome-ignore lint/suspicious/noExplicitAny: mounted on whichever app the server hands over
  app: Hono<any>,
  env: SlackEnv,
  backend: BackendLink,
  extra: {
    clock?: () => Date;
    logError?: (e: unknown) => void;
    cacheMs?: number;
    /** the in-process digest scheduler: its interval (default 60 s), or false for none (a cron calls POST /api/jobs/digests) */
    digests?: { intervalMs?: number } | false;
    /** the in-process alert scheduler (issue 19): its interval (default 1 s), or false for none (unset: off when digests is false) */
    alerts?: { intervalMs?: number; concurrency?: number } | false;
    /** the deps.jobs createApp was given: connectSlack fills in the digest step POST /api/jobs/digests runs, and the reconnect DM Gmail sync sends */
    jobs?: Pick<NonNullable<AppDeps['jobs']>, 'mailboxNotice' | 'slackChannel' | 'slackProfile'> & { digests?: () => Promise<StepResult> };
  } = {},
): SlackConnection {
  const mode = slackMode(env);
  if (mode === 'off') return { mode, workspaces: null, start: async () => {}, stop: async () => {}, idle: async () => {} };
  const many = Boolean(env.SLACK_CLIENT_ID && env.SLACK_CLIENT_SECRET && env.RAPPORT_SECRET_KEY);
  const installations = many ? installationStore(backend, env.RAPPORT_SECRET_KEY!, extra.cacheMs !== undefined ? { cacheMs: extra.cacheMs } : {}) : undefined;
  const bolt = createSlackBolt({
    backend,
    ...(env.SLACK_SIGNING_SECRET ? { signingSecret: env.SLACK_SIGNING_SECRET } : {}),
    ...(env.SLACK_BOT_TOKEN ? { botToken: env.SLACK_BOT_TOKEN } : {}),
    ...(installations ? { installations } : {}),
    ...(mode === 'socket' ? { appToken: env.SLACK_APP_TOKEN! } : {}),
    ...(env.SLACK_API_URL ? { apiUrl: env.SLACK_API_URL } : {}),
    ...(env.RAPPORT_PUBLIC_URL ? { publicUrl: env.RAPPORT_PUBLIC_URL } : {}),
    ...(extra.clock ? { clock: extra.clock } : {}),
    ...(extra.logError ? { logError: extra.logError } : {}),
  });
  let idle = async () => {};
  if (mode === 'http') {
    const http = slackRoutes(bolt, {
      signingSecret: env.SLACK_SIGNING_SECRET!,
      backend,
      ...(extra.clock ? { clock: extra.clock } : {}),
      ...(extra.logError ? { logError: extra.logError } : {}),
    });
    app.route('/slack', http.routes);
    idle = http.idle;
  }
  if (installations) {
    app.route(
      '/slack',
      installRoutes({
        installations,
        clientId: env.SLACK_CLIENT_ID!,
        clientSecret: env.SLACK_CLIENT_SECRET!,
        serverKey: env.RAPPORT_SECRET_KEY!,
        publicUrl: env.RAPPORT_PUBLIC_URL!,
        apiUrl: env.SLACK_API_URL,
        clock: extra.clock,
        logError: extra.logError,
      }),
    );
  }

  // daily digests: each team's own token (or the environment's), on a Web API
  // client that never retries by itself, so that one post is one attempt
  const digests: DigestDeps = {
    service: serviceClient(backend),
    clientFor: async (teamId) => digestClient(installations ? (await installations.authorize(teamId)).botToken : env.SLACK_BOT_TOKEN!, env.SLACK_API_URL),
    memberApi: (workspaceId, memberId) => scheduledMemberClient(backend, workspaceId, memberId),
    workerId: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    now: extra.clock ?? (() => new Date()),
    ...(env.RAPPORT_PUBLIC_URL ? { publicUrl: env.RAPPORT_PUBLIC_URL } : {}),
    ...(extra.logError ? { logError: extra.logError } : {}),
  };
  // POST /api/jobs/digests (backend/jobs/routes.ts) runs this step
  if (extra.jobs) extra.jobs.digests = () => runDigestStep(digests);
  // Gmail sync's worker tells a member whose mailbox needs reconnecting, by DM through the same team token
  if (extra.jobs)
    extra.jobs.mailboxNotice = async (notice) => {
      await sendMailboxNotice(digests, notice);
    };
  // a channel rule (POST /api/alert-rules) is accepted only after Slack says, with the team's own token, that its channel is not shared
  if (extra.jobs) extra.jobs.slackChannel = async (teamId, channelId) => channelState(await digests.clientFor(teamId), channelId);
  // "Sign in with Slack" on the web pages: whether a newcomer may join is what users.info says of them, as in Slack itself
  if (extra.jobs)
    extra.jobs.slackProfile = async (teamId, slackUserId) => {
      const info = await (await digests.clientFor(teamId)).users.info({ user: slackUserId });
      return info.user ? profileOf(info.user, teamId) : { full: false };
    };
  let scheduler: { stop(): Promise<void> } | undefined;
  let alertScheduler: { stop(): Promise<void> } | undefined;

  return {
    mode,
    workspaces: many ? 'many' : 'one',
    bolt,
    ...(installations ? { installations } : {}),
    digests,
    start: async () => {
      if (!installations) await bindTeam(env, digests.service, extra.logError);
      if (extra.digests !== false && !scheduler)
        scheduler = startDigestScheduler({
          ...digests,
          ...(extra.digests?.intervalMs ? { intervalMs: extra.digests.intervalMs } : {}),
          // briefs before meetings with customers (Calendar sync), and nudges after them, go out on the same minute's tick
          alsoRun: [() => runBriefStep(digests), () => runNudgeStep(digests)],
        });
      // alerts go out within seconds, on their own short tick (the same team clients as the digests)
      const alerts = extra.alerts ?? (extra.digests === false ? false : {});
      if (alerts !== false && !alertScheduler)
        alertScheduler = startAlertScheduler({
          service: digests.service,
          clientFor: digests.clientFor,
          workerId: digests.workerId,
          now: digests.now,
          ...(digests.publicUrl ? { publicUrl: digests.publicUrl } : {}),
          ...(digests.logError ? { logError: digests.logError } : {}),
          ...(alerts.intervalMs ? { intervalMs: alerts.intervalMs } : {}),
          ...(alerts.concurrency ? { concurrency: alerts.concurrency } : {}),
        });
      if (mode === 'socket') await bolt.start();
    },
    stop: async () => {
      await scheduler?.stop();
      scheduler = undefined;
      await alertScheduler?.stop();
      alertScheduler = undefined;
      if (mode === 'socket') await bolt.stop();
    },
    idle,
  };
}

/**
 * One workspace (SLACK_BOT_TOKEN): the token's Slack team is bound to the
 * only Rapport workspace at start-up (auth.test tells which team), so that the
 * digest scheduler has someone to send to before anyone has used /crm. A
 * failure is logged, not fatal: the first Slack request binds it too.
 */
async function bindTeam(env: SlackEnv, service: DigestDeps['service'], logError?: (e: unknown) => void) {
  try {
    const who = await digestClient(env.SLACK_BOT_TOKEN!, env.SLACK_API_URL).auth.test();
    if (who.team_id) await json(service.team.$post({ json: { teamId: who.team_id, ...(who.team ? { teamName: String(who.team).slice(0, 200) } : {}) } }));
  } catch (e) {
    (logError ?? ((err) => console.error(`[rapport] Slack: could not bind the team at start-up: ${err instanceof Error ? err.message : err}`)))(e);
  }
}

/**
 * The Slack app plugged into Rapport's server (slack-app/server.ts, what
 * `npm start` runs), reaching the backend in-process: its routes on the same
 * origin, the digest step behind POST /api/jobs/digests.
 */
export const slackPlugin: PlugIn = ({ app, env, backend, jobs }) => {
  // the in-process scheduler's tick: a shorter one sends briefs and nudges nearer their minute (the reliability run uses 1 s)
  const slack = connectSlack(app, env, backend, { jobs, digests: { intervalMs: env.RAPPORT_SCHEDULER_SECONDS * 1000 } });
  return {
    describe: (listenUrl) => describeSlack(env, listenUrl),
    start: () =>
      slack.start().then(
        () => {
          if (slack.mode === 'socket') console.log('[rapport] Slack: Socket Mode connected');
        },
        (e) => console.error(`[rapport] Slack: Socket Mode could not connect: ${e instanceof Error ? e.message : e}`),
      ),
    stop: () => slack.stop(),
  };
};

/**
 * What the server prints about Slack: the mode and where Slack should send
 * things; never a token or a secret.
 */
export function describeSlack(env: SlackEnv, listenUrl: string): string[] {
  const mode = slackMode(env);
  if (mode === 'off')
    return [
      'Slack is not connected (set SLACK_BOT_TOKEN, or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET, and SLACK_SIGNING_SECRET or SLACK_APP_TOKEN; see README)',
    ];
  const base = env.RAPPORT_PUBLIC_URL?.replace(/\/+$/, '') ?? listenUrl;
  const lines = [
    `Slack: ${mode === 'socket' ? 'Socket Mode (no public URL needed)' : 'HTTP'}, ${env.SLACK_CLIENT_ID ? 'many workspaces ("Add to Slack")' : 'one workspace (SLACK_BOT_TOKEN)'}`,
  ];
  if (mode === 'http') lines.push(`Slack request URL: ${base}/slack/events`);
  if (env.SLACK_CLIENT_ID) lines.push(`Slack install: a link from \`npm run slack:install-link\` (OAuth redirect URL: ${base}/slack/oauth_redirect)`);
  if (env.SLACK_CLIENT_ID && env.RAPPORT_SECRET_KEY) lines.push(`Sign in with Slack on the web pages (redirect URL: ${base}/signin/slack/callback)`);
  return lines;
}
