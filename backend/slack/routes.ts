import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import * as z from 'zod';
import { sameSecret } from '../auth/same-secret.js';
import { ApiError } from '../errors.js';
import { validate } from '../http.js';
import { Email, text } from '../schemas.js';
import type { AppEnv } from '../types.js';
import { installationRoutes } from './installations.js';

const TeamId = z.string().regex(/^[TE][A-Z0-9]{2,20}$/, { message: 'must be a Slack team id like T012AB3CD' });
const UserId = z.string().regex(/^[UW][A-Z0-9]{2,20}$/, { message: 'must be a Slack user id like U012AB3CD' });

export const SlackIdentify = z.strictObject({
  teamId: TeamId,
  teamName: text(200).optional(),
  slackUserId: UserId,
  email: Email.optional(),
  slackLocale: z.string().max(20).optional(),
});
export const SlackEventClaim = z.strictObject({ teamId: TeamId, eventId: z.string().min(1).max(100), workspaceId: z.guid().optional() });


/** The Slack app's own calls, before it knows which member is acting: the service secret alone. */
const serviceOnly = createMiddleware<AppEnv>(async (c, next) => {
  const { serviceSecret } = c.get('deps');
  const header = c.req.header('authorization') ?? '';
  const [scheme, credential = ''] = header.split(/\s+/, 2);
  if (!serviceSecret || scheme?.toLowerCase() !== 'rapport-service' || !sameSecret(credential, serviceSecret)) {
    throw new ApiError(401, 'service_auth_invalid');
  }
  await next();
});

type Team = { workspaceId: string; teamId: string; botTokenEnc: string | null; botUserId: string | null; botId: string | null } | null;
type Member = { workspaceId: string; memberId: string; locale: string; role: string; timezone: string; name: string } | null;

export const slackServiceRoutes = new Hono<AppEnv>()
  .use(serviceOnly)
  // Which workspace a Slack team is, and which member a Slack user is (by
  // stored id, else by profile email). Either may be null: the Slack app then
  // tells the person how to get access.
  .post('/identify', validate('json', SlackIdentify), async (c) => {
    const { db } = c.get('deps');
    const args = c.req.valid('json');
    const team = await db.callAnonymous<Team>('slack_team', { teamId: args.teamId, teamName: args.teamName });
    if (!team) return c.json({ team: null, member: null });
    const member = await db.callAnonymous<Member>('slack_member', {
      workspaceId: team.workspaceId,
      slackUserId: args.slackUserId,
      email: args.email,
      slackLocale: args.slackLocale,
    });
    return c.json({
      team: { workspaceId: team.workspaceId, teamId: team.teamId, botUserId: team.botUserId, botId: team.botId },
      member,
    });
  })
  // true the first time Slack delivers an event id; false for every retry
  .post('/events/claim', validate('json', SlackEventClaim), async (c) => {
    const first = await c.get('deps').db.callAnonymous<boolean>('slack_event_claim', c.req.valid('json'));
    return c.json({ first });
  })
  .route('/installations', installationRoutes);
