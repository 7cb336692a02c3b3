import { serve } from '@hono/node-server';
import { createApp } from './app.js';
import { EnvError, parseEnv } from './env.js';
import { openRuntime } from './runtime.js';
import { createSlackBolt } from '../slack-app/app.js';
import { slackRoutes } from '../slack-app/routes.js';

/** `npm start`: Rapport on one HTTP origin, on the database the environment names. */
async function main() {
  const started = Date.now();
  const env = parseEnv(process.env);
  const runtime = await openRuntime(env, (line) => console.log(`[rapport] ${line}`));
  const app = createApp(runtime.deps);
  if (env.SLACK_SIGNING_SECRET && env.SLACK_BOT_TOKEN) {
    // the Slack app on the same origin, reaching the backend in-process
    const backend = {
      baseUrl: 'http://rapport.internal',
      serviceSecret: runtime.deps.serviceSecret!,
      fetch: ((input: string | URL | Request, init?: RequestInit) => app.fetch(new Request(input, init))) as typeof fetch,
    };
    const bolt = createSlackBolt({
      signingSecret: env.SLACK_SIGNING_SECRET,
      botToken: env.SLACK_BOT_TOKEN,
      backend,
      ...(env.SLACK_API_URL ? { apiUrl: env.SLACK_API_URL } : {}),
      ...(env.RAPPORT_PUBLIC_URL ? { publicUrl: env.RAPPORT_PUBLIC_URL } : {}),
    });
    app.route('/slack', slackRoutes(bolt, { signingSecret: env.SLACK_SIGNING_SECRET, backend }).routes);
  }
  const server = serve({ fetch: app.fetch, port: env.PORT, hostname: env.HOST }, (info) => {
    const url = `http://${env.HOST === '0.0.0.0' ? 'localhost' : env.HOST}:${info.port}`;
    console.log(`[rapport] listening on ${url} (database: ${runtime.deps.db.kind}) in ${Date.now() - started} ms`);
    console.log(`[rapport] API docs: ${url}/docs`);
    console.log(
      env.SLACK_BOT_TOKEN
        ? `[rapport] Slack request URL: ${env.RAPPORT_PUBLIC_URL ?? url}/slack/events`
        : '[rapport] Slack is not connected (set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET; see README)',
    );
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
    runtime
      .close()
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
