import { pathToFileURL } from 'node:url';
import type { Hono } from 'hono';
import { lockEmbeddedDataDir } from './db/data-dir-lock.js';
import { prepareEmbedded } from './db/pglite-prepare.js';
import { noWorkspaceLines } from './setup-hint.js';
import { EnvError, localUrl, parseEnv, type Env } from './env.js';
import type { AppDeps } from './types.js';

/** The backend as a caller in this process reaches it: app.fetch behind a base URL, with the service secret. */
export interface InProcessLink {
  baseUrl: string;
  serviceSecret: string;
  fetch: typeof fetch;
}

/** What a surface adds to the server, given the app before it listens (slack-app/server.ts plugs in the Slack app). */
export interface ServerPlugin {
  /** lines printed once the server listens; never a token or a secret */
  describe(listenUrl: string): string[];
  /** after the server listens; a failure is the plugin's to report, the server keeps serving */
  start(): Promise<void>;
  /** on SIGINT or SIGTERM, before the database closes */
  stop(): Promise<void>;
}

export type PlugIn = (server: {
  /** mount routes here (app.route); they answer on the server's one origin */
  // biome-ignore lint/suspicious/noExplicitAny: a plugin mounts routes of its own env
  app: Hono<any>;
  env: Env;
  backend: InProcessLink;
  /** the deps.jobs the app was given: a plugin fills in the work POST /api/jobs/... runs */
  jobs: NonNullable<AppDeps['jobs']>;
}) => ServerPlugin;

export interface ServerOptions {
  /** each loads its module while the app loads its own (and a new embedded database is prepared) */
  plugins?: (() => Promise<PlugIn>)[];
}

/**
 * Rapport's HTTP server on one origin, on the database the environment
 * names, with whatever plugins add. `npm start` runs slack-app/server.ts,
 * which is this with the Slack app plugged in; run on its own, this file
 * serves the backend alone.
 */
export async function startServer(opts: ServerOptions = {}) {
  const started = Date.now();
  const env = parseEnv(process.env);
  // the embedded data directory is this process's until it exits (rapport.pid):
  // a CLI or a second server on it would corrupt it
  const lock = lockEmbeddedDataDir(env, 'npm start');
  // A new embedded database is prepared in a child process (initdb, migrations,
  // the demo: ~2.5 s) while this one loads the app's modules (~0.8 s), which is
  // why they are imported here and not above. Awaited in openRuntime; the catch
  // only keeps a failure before then from counting as unhandled.
  const early = prepareEmbedded(env);
  early?.catch(() => undefined);
  const [{ serve }, { createApp }, { openRuntime }, plugIns] = await Promise.all([
    import('@hono/node-server'),
    import('./app.js'),
    import('./runtime.js'),
    Promise.all((opts.plugins ?? []).map((load) => load())),
  ]);
  const runtime = await openRuntime(env, (line) => console.log(`[rapport] ${line}`), { ...(early ? { early } : {}), ...(lock ? { lock } : {}) }).catch((e) => {
    lock?.release();
    throw e;
  });
  // an empty database (no demo): say the one command that sets a team up
  const state = await runtime.deps.db.callAnonymous<{ workspaces: number }>('setup_state', {}).catch(() => null);
  const empty = state !== null && Number(state.workspaces) === 0;
  // POST /api/jobs/digests runs what a plugin put here (the Slack app's digest step)
  const jobs: NonNullable<AppDeps['jobs']> = {};
  const app = createApp({ ...runtime.deps, jobs });
  // plugins reach the backend in-process, on the same origin
  const backend: InProcessLink = {
    baseUrl: 'http://rapport.internal',
    serviceSecret: runtime.deps.serviceSecret!,
    fetch: ((input: string | URL | Request, init?: RequestInit) => app.fetch(new Request(input, init))) as typeof fetch,
  };
  const plugins = plugIns.map((plugIn) => plugIn({ app, env, backend, jobs }));
  // Gmail sync, when configured: passes in this process (and POST /api/jobs/mailboxes for a cron)
  const gmail = runtime.deps.gmail;
  const logError = (ref: string, e: unknown) => console.error(`[rapport] ${ref}: ${e instanceof Error ? e.message : String(e)}`);
  const sync = gmail
    ? (await import('./google/scheduler.js')).startMailboxSync({
        db: runtime.deps.db,
        gmail,
        notice: (n) => jobs.mailboxNotice?.(n) ?? Promise.resolve(),
        logError,
      })
    : null;
  // Calendar sync beside it: the same schedule, its own leases (a calendar follows its mailbox's consent)
  const calendars = gmail
    ? await (async () => {
        const [{ startSyncLoop }, { runCalendarStep }] = await Promise.all([import('./google/scheduler.js'), import('./google/calendar-sync.js')]);
        return startSyncLoop(() => runCalendarStep({ db: runtime.deps.db, gmail, logError }), { ref: 'calendar-sync', logError });
      })()
    : null;
  if (sync) {
    jobs.mailboxes = () => {
      void calendars?.kick();
      return sync.kick();
    };
  }
  const server = serve({ fetch: app.fetch, port: env.PORT, hostname: env.HOST }, (info) => {
    const url = localUrl(env.HOST, info.port);
    console.log(`[rapport] listening on ${url} (database: ${runtime.deps.db.kind}) in ${Date.now() - started} ms`);
    console.log(`[rapport] API docs: ${url}/docs`);
    for (const plugin of plugins) {
      for (const line of plugin.describe(url)) console.log(`[rapport] ${line}`);
      plugin.start().catch((e) => console.error(`[rapport] ${e instanceof Error ? e.message : e}`));
    }
    if (runtime.demoToken) {
      console.log("[rapport] demo workspace loaded. The demo admin's API token (shown once, also saved to");
      console.log(`[rapport]   ${runtime.demoTokenFile}):`);
      console.log(`[rapport]   ${runtime.demoToken}`);
      console.log(`[rapport] try: curl -H "Authorization: Bearer $(cat ${env.RAPPORT_DATA_DIR}/demo-token)" "${url}/api/contacts?q=acme"`);
    }
    if (empty) for (const line of noWorkspaceLines(runtime.deps.db.kind)) console.log(`[rapport] ${line}`);
  });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[rapport] ${signal}: closing`);
    server.close();
    Promise.allSettled([...plugins.map((p) => p.stop()), sync?.stop(), calendars?.stop()])
      .then(() => runtime.close())
      .catch((e) => console.error('[rapport] closing the database failed:', e))
      .finally(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

/** startServer, or a sentence and exit code 1 when it cannot start (a wrong variable names itself). */
export function runServer(opts: ServerOptions = {}) {
  startServer(opts).catch((e) => {
    console.error(e instanceof EnvError ? e.message : `[rapport] could not start: ${e instanceof Error ? e.message : e}`);
    process.exit(1);
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) runServer();
