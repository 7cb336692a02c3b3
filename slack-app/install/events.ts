import type { App } from '@slack/bolt';
import { json, serviceClient, type BackendLink } from '../backend-client.js';
import type { InstallationStore } from './installations.js';

type Reason = 'app_uninstalled' | 'tokens_revoked';

/**
 * Slack says Rapport is gone from a team: the app was uninstalled, or its bot
 * token revoked. The team's installation and channel links are removed (a
 * retry, or both events for one uninstall, find nothing and do nothing), and
 * a later event from that team is no longer authorized.
 */
export function registerOAuthEvents(bolt: App, opts: { backend: BackendLink; installations?: InstallationStore | undefined }) {
  const service = serviceClient(opts.backend);
  const remove = async (teamId: string | undefined, reason: Reason) => {
    if (!teamId) return;
    if (opts.installations) await opts.installations.remove(teamId, reason);
    else await json(service.installations.teams[':teamId'].$delete({ param: { teamId }, query: { reason } }));
  };
  const teamOf = (body: unknown, context: { teamId?: string | undefined }) => (body as { team_id?: string }).team_id ?? context.teamId;

  bolt.event('app_uninstalled', async ({ body, context }) => {
    await remove(teamOf(body, context), 'app_uninstalled');
  });
  // tokens.bot lists the bot users whose tokens went; tokens.oauth (user tokens) alone leaves the bot working
  bolt.event('tokens_revoked', async ({ event, body, context }) => {
    const bots = (event as { tokens?: { bot?: string[] } }).tokens?.bot ?? [];
    if (bots.length) await remove(teamOf(body, context), 'tokens_revoked');
  });
}
