import * as z from 'zod';
import { errors, jsonBody, ok, router, serviceRoute } from '../openapi/route.js';
import { Time, Uuid, text } from '../schemas.js';

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
    .regex(/^v1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]*$/, {
      message: "must be an encrypted token ('v1:<iv>:<tag>:<ciphertext>')",
    }),
  scopes: z
    .string()
    .max(2000)
    .regex(/^[a-z:._,-]*$/, { message: 'must be a comma-separated list of scopes' }),
  installedBy: slackId('UW', 'U012AB3CD').optional(),
});

export const InstallTarget = z.strictObject({ workspaceId: z.guid().optional() });
export const InstallationDelete = z.strictObject({ reason: z.enum(['app_uninstalled', 'tokens_revoked', 'admin']).optional() });

// --- answers ---

export const Installation = z
  .strictObject({
    teamId: z.string(),
    workspaceId: Uuid,
    teamName: z.string().nullable(),
    enterpriseId: z.string().nullable(),
    botUserId: z.string().nullable(),
    botId: z.string().nullable(),
    scopes: z.string().nullable(),
    installedBy: z.string().nullable(),
    installedAt: Time,
    updatedAt: Time,
  })
  .meta({ id: 'SlackInstallation' });
export const InstallationSaved = z.strictObject({ installation: Installation }).meta({ id: 'SlackInstallationSaved' });
export const InstallationFound = z
  .strictObject({
    installation: Installation.extend({
      botTokenEnc: z.string().nullable().describe('encrypted by the Slack app; null for a team bound without "Add to Slack"'),
    })
      .meta({ id: 'SlackInstallationWithToken' })
      .nullable()
      .describe('null when the team is not installed'),
  })
  .meta({ id: 'SlackInstallationFound' });
export const InstallationDeleted = z
  .strictObject({ deleted: z.boolean(), channelLinks: z.number().int().describe('channel links removed with it') })
  .meta({ id: 'SlackInstallationDeleted' });
export const InstallTargetResult = z
  .strictObject({
    workspace: z.strictObject({ id: Uuid, name: z.string() }).nullable().describe('the one named, else the only one; null when there are several'),
    workspaces: z.number().int(),
  })
  .meta({ id: 'SlackInstallTarget' });

export type Installation = z.infer<typeof Installation>;
export type InstallationFound = z.infer<typeof InstallationFound>;
export type InstallationDeleted = z.infer<typeof InstallationDeleted>;
export type InstallTargetResult = z.infer<typeof InstallTargetResult>;

const tags: ['slack'] = ['slack'];

/**
 * Slack installations ("Add to Slack"): stored, found and removed for the
 * Slack app (mounted behind the service secret). The backend never holds the
 * key, so it never sees a usable bot token.
 */
export const installationRoutes = router()
  // which workspace an install binds to: the one named, else the only one
  .openapi(
    serviceRoute({
      method: 'get',
      path: '/target',
      operationId: 'slackInstallTarget',
      tags,
      summary: 'The workspace an "Add to Slack" install binds to',
      request: { query: InstallTarget },
      responses: { 200: ok(InstallTargetResult, 'The workspace, or null with how many there are') },
    }),
    async (c) => c.json(await c.get('deps').db.callAnonymous<InstallTargetResult>('slack_install_target', c.req.valid('query')), 200),
  )
  // upsert by team; 409 when the team belongs to another workspace
  .openapi(
    serviceRoute({
      method: 'put',
      path: '/teams/{teamId}',
      operationId: 'slackSaveInstallation',
      tags,
      summary: 'Store an installation (bot token encrypted by the Slack app)',
      request: { params: TeamParam, body: jsonBody(InstallationSave) },
      responses: { 200: ok(InstallationSaved, 'The installation, without its token'), ...errors(404, 409) },
    }),
    async (c) => {
      const saved = await c.get('deps').db.callAnonymous<Installation>('slack_installation_save', { ...c.req.valid('json'), ...c.req.valid('param') });
      return c.json({ installation: saved }, 200);
    },
  )
  .openapi(
    serviceRoute({
      method: 'get',
      path: '/teams/{teamId}',
      operationId: 'slackGetInstallation',
      tags,
      summary: "A team's installation, with its encrypted token",
      request: { params: TeamParam },
      responses: { 200: ok(InstallationFound, '{installation} (null when not installed)') },
    }),
    async (c) => {
      const found = await c.get('deps').db.callAnonymous<InstallationFound['installation']>('slack_installation_get', c.req.valid('param'));
      return c.json({ installation: found }, 200);
    },
  )
  // idempotent: {deleted: false} when the team had no installation
  .openapi(
    serviceRoute({
      method: 'delete',
      path: '/teams/{teamId}',
      operationId: 'slackDeleteInstallation',
      tags,
      summary: "Forget a team's installation and its channel links",
      request: { params: TeamParam, query: InstallationDelete },
      responses: { 200: ok(InstallationDeleted, 'Whether it was installed') },
    }),
    async (c) => {
      const result = await c.get('deps').db.callAnonymous<InstallationDeleted>('slack_installation_delete', {
        ...c.req.valid('param'),
        ...c.req.valid('query'),
      });
      return c.json(result, 200);
    },
  );
