import type { DbKind } from './db/port.js';

/** The one command that makes a team's workspace and its first admin (backend/cli/setup.ts); README, "Set up your team". */
export const SETUP_COMMAND = 'npm run setup -- --workspace "Your Team" --admin-email you@company.com --admin-name "Your Name"';

/**
 * What `npm start` says on a database with no workspace yet (api.setup_state).
 * The embedded database is the server's alone while it runs (rapport.pid), so
 * setup there comes after stopping it.
 */
export function noWorkspaceLines(kind: DbKind): string[] {
  return kind === 'pglite'
    ? ['no workspace yet. Stop Rapport (Ctrl-C), run this once, then npm start again:', `  ${SETUP_COMMAND}`]
    : ['no workspace yet. Run this once (with the same database settings):', `  ${SETUP_COMMAND}`];
}
