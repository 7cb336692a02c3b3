import { call } from '../http.js';
import { errors, memberRoute, ok, router } from '../openapi/route.js';
import { Member, MemberIdentityParam } from './schemas.js';

/**
 * The workspace's members. An admin unlinks a member's Google account or
 * Slack user: once linked, another Google account or Slack user with the
 * same email is refused, so a changed account needs an admin to say so.
 */
export const memberRoutes = router().openapi(
  memberRoute({
    method: 'delete',
    path: '/{id}/identities/{identity}',
    operationId: 'unlinkMemberIdentity',
    tags: ['members'],
    summary: "Unlink a member's Google account or Slack user (admin), so that the next one with their email links anew",
    request: { params: MemberIdentityParam },
    responses: { 200: ok(Member, 'The member after the change'), ...errors(404) },
  }),
  async (c) => c.json(await call<Member>(c, 'member_unlink_identity', c.req.valid('param')), 200),
);
