import { Hono } from 'hono';
import * as z from 'zod';
import { call, validate } from '../http.js';
import { Id } from '../schemas.js';
import type { AppEnv } from '../types.js';

export const MemberIdentityParam = z.strictObject({
  id: Id,
  identity: z.enum(['google', 'slack']).describe('google: the Google account the add-on signed in with; slack: the Slack user'),
});

/**
 * The workspace's members. An admin unlinks a member's Google account or
 * Slack user: once linked, another Google account or Slack user with the
 * same email is refused, so a changed account needs an admin to say so.
 */
export const memberRoutes = new Hono<AppEnv>().delete('/:id/identities/:identity', validate('param', MemberIdentityParam), async (c) => {
  return c.json(await call<Record<string, unknown>>(c, 'member_unlink_identity', c.req.valid('param')));
});
