import { Hono } from 'hono';
import * as z from 'zod';
import { validate } from '../http.js';
import { text } from '../schemas.js';
import type { AppEnv } from '../types.js';

const slackId = (first: string, example: string) =>
  z.string().regex(new RegExp(`^[${first}][A-Z0-9]{2,20}$`), { message: `must be a Slack id like ${example}` });

export const TeamParam = z.strictObject({ teamId: slackId('TE', 'T012AB3CD') });

/** What the Slack app stores after "Add to Slack"; the bot token only ever encrypted ('v1:<iv>:<tag>:<ciphertext>'). */
export const InstallationSave = z.strictObject({
  workspaceId: z.guid(),
  teamName: text(200).optional(),
  enterpriseId: slackId('E', 'E012AB3CD').optional(),
  botUserId: slackId('UW', 'U012AB3CD'),
  botId: slackId('B', 'B012AB3CD'),
  botTokenEnc: z
    .string()
    .max(4000)
    .regex(/^v1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]*$/, { message: "must be an encrypted token ('v1:<iv>:<tag>:<ciphertext>')" }),
  scopes: z.string().max(2000).regex(/^[a-z:._,-]*$/, { message: 'must be a comma-separated list of scopes' }),
  installedBy: slackId('UW', 'U012AB3CD').optional(),
});

export const InstallTarget = z.strictObject({ workspaceId: z.guid().optional() });
export const InstallationDelete = z.strictObject({ reason: z.enum(['app_uninstalled', 'tokens_revoked', 'admin']).optional() });

export interface Installation {
  teamId: string;
  workspaceId: string;
  teamName: string | null;
  enterpriseId: string | null;
  botUserId: string | null;
  botId: string | null;
  scopes: string | null;
  installedBy: string | null;
  installedAt: string;
  updatedAt: string;
}

/**
 * Slack installations ("Add to Slack"): stored, found and removed for the
 * Slack app (mounted behind the service secret). The backend never holds the
 * key, so it never sees a usable bot token.
 */
export const installationRoutes = new Hono<AppEnv>()
  // which workspace an install binds to: the one named, else the only one
  .get('/target', validate('query', InstallTarget), async (c) => {
    const target = await c.get('deps').db.callAnonymous<{ workspace: { id: string; name: string } | null; workspaces: number }>(
      'slack_install_target',
      c.req.valid('query'),
    );
    return c.json(target);
  })
  // upsert by team; 409 when the team belongs to another workspace
  .put('/teams/:teamId', validate('param', TeamParam), validate('json', InstallationSave), async (c) => {
    const saved = await c.get('deps').db.callAnonymous<Installation>('slack_installation_save', { ...c.req.valid('json'), ...c.req.valid('param') });
    return c.json({ installation: saved });
  })
  .get('/teams/:teamId', validate('param', TeamParam), async (c) => {
    const found = await c.get('deps').db.callAnonymous<(Installation & { botTokenEnc: string | null }) | null>('slack_installation_get', c.req.valid('param'));
    return c.json({ installation: found });
  })
  // idempotent: {deleted: false} when the team had no installation
  .delete('/teams/:teamId', validate('param', TeamParam), validate('query', InstallationDelete), async (c) => {
    const result = await c.get('deps').db.callAnonymous<{ deleted: boolean; channelLinks: number }>('slack_installation_delete', {
      ...c.req.valid('param'),
      ...c.req.valid('query'),
    });
    return c.json(result);
  });
