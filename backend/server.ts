import { prepareEmbedded } from './db/pglite-prepare.js';
import { EnvError, parseEnv } from './env.js';

/** `npm start`: Rapport on one HTTP origin, on the database the environment names. */
async function main() {
  const started = Date.now();
  const env = parseEnv(process.env);
  // A new embedded database is prepared in a child process (initdb, migrations,
  // the demo: ~2.5 s) while this one loads the app's modules (~0.8 s), which is
  // why they are imported here and not above. Awaited in openRuntime; the catch
  // only keeps a failure before then from counting as unhandled.
  const early = prepareEmbedded(env);
  early?.catch(() => undefined);
  const [{ serve }, { createApp }, { openRuntime }, { connectSlack, describeSlack }] = await Promise.all([
    import('@hono/node-server'),
    import('./app.js'),
    import('./runtime.js'),
    import('../slack-app/connect.js'),
  ]);
  const runtime = await openRuntime(env, (line) => console.log(`[rapport] ${line}`), early);
  // POST /api/jobs/digests runs the Slack app's digest step once Slack is connected
  const jobs: NonNullable<typeof runtime.deps.jobs> = {};
  const app = createApp({ ...runtime.deps, jobs });
  // the Slack app on the same origin, reaching the backend in-process: POST
  // /slack/events over HTTP, or Socket Mode's websocket with SLACK_APP_TOKEN
  const slack = connectSlack(app, env, {
    baseUrl: 'http://rapport.internal',
    serviceSecret: runtime.deps.serviceSecret!,
    fetch: ((input: string | URL | Request, init?: RequestInit) => app.fetch(new Request(input, init))) as typeof fetch,
  }, { jobs });
  const server = serve({ fetch: app.fetch, port: env.PORT, hostname: env.HOST }, (info) => {
    const url = `http://${env.HOST === '0.0.0.0' ? 'localhost' : env.HOST}:${info.port}`;
    console.log(`[rapport] listening on ${url} (database: ${runtime.deps.db.kind}) in ${Date.now() - started} ms`);
    console.log(`[rapport] API docs: ${url}/docs`);
    for (const line of describeSlack(env, url)) console.log(`[rapport] ${line}`);
    slack
      .start()
      .then(() => slack.mode === 'socket' && console.log('[rapport] Slack: Socket Mode connected'))
      .catch((e) => console.error(`[rapport] Slack: Socket Mode could not connect: ${e instanceof Error ? e.message : e}`));
    if (runtime.demoToken) {
      console.log('[rapport] demo workspace loaded. The demo admin\'s API token (shown once, also saved to');
      console.log(`[rapport]   ${runtime.demoTokenFile}):`);
      console.log(`[rapport]   ${runtime.demoToken}`);
      console.log(`[rapport] try: curl -H "Authorization: Bearer $(cat ${env.RAPPORT_DATA_DIR}/demo-token)" "${url}/api/contacts?q=acme"`);
    }
  });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[rapport] ${signal}: closing`);
    server.close();
    slack
      .stop()
      .catch(() => undefined)
      .then(() => runtime.close())
      .catch((e) => console.error('[rapport] closing the database failed:', e))
      .finally(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((e) => {
  console.error(e instanceof EnvError ? e.message : `[rapport] could not start: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
});
