import { runServer } from '../backend/server.js';

/**
 * `npm start`: Rapport on one HTTP origin, the Slack app plugged into the
 * backend's server (backend/server.ts, which never imports the Slack app).
 * Slack stays off unless the environment configures it. connect.js is
 * loaded while the server loads its own modules, as they are.
 */
runServer({ plugins: [async () => (await import('./connect.js')).slackPlugin] });
