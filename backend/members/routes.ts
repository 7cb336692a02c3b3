import { call } from '../http.js';
import { errors, jsonBody, memberRoute, ok, router } from '../openapi/route.js';
import {
  Member,
  MemberCreate,
  MemberDeactivate,
  MemberDeactivated,
  MemberIdentityParam,
  MemberIdParam,
  MemberList,
  MemberListQuery,
  MemberPatch,
} from './schemas.js';

const tags: ['members'] = ['members'];

/**
 * The workspace's members: anyone lists them; an admin adds, changes,
 * deactivates (with reassignment) and reactivates them; a member changes
 * their own time zone and language. The rules (last admin, manager cycles,
 * what moves when someone leaves) are the SQL's: api.member_* in
 * supabase/schema/api/functions/.
 */
export const memberRoutes = router()
  .openapi(
    memberRoute({
      method: 'get',
      path: '/',
      operationId: 'listMembers',
      tags,
      summary: 'Every active member (admins: ?active=all for deactivated ones too)',
      request: { query: MemberListQuery },
      responses: { 200: ok(MemberList, 'By name') },
    }),
    async (c) => c.json(await call<MemberList>(c, 'members_list', c.req.valid('query')), 200),
  )
  .openapi(
    memberRoute({
      method: 'post',
      path: '/',
      operationId: 'createMember',
      tags,
      summary: 'Add a member (admin)',
      request: { body: jsonBody(MemberCreate) },
      responses: { 201: ok(Member, 'Added'), ...errors(409) },
    }),
    async (c) => c.json(await call<Member>(c, 'member_create', c.req.valid('json')), 201),
  )
  .openapi(
    memberRoute({
      method: 'patch',
      path: '/{id}',
      operationId: 'updateMember',
      tags,
      summary: "Change a member's role, manager, name, time zone or language (admin; anyone their own time zone and language)",
      request: { params: MemberIdParam, body: jsonBody(MemberPatch) },
      responses: { 200: ok(Member, 'The member after the change'), ...errors(404, 409) },
    }),
    async (c) => c.json(await call<Member>(c, 'member_update', { ...c.req.valid('json'), ...c.req.valid('param') }), 200),
  )
  .openapi(
    memberRoute({
      method: 'post',
      path: '/{id}/deactivate',
      operationId: 'deactivateMember',
      tags,
      summary: 'Deactivate a member who left (admin): their contacts and open follow-ups go to reassignTo, their credentials stop working',
      request: { params: MemberIdParam, body: jsonBody(MemberDeactivate) },
      responses: { 200: ok(MemberDeactivated, 'Deactivated, with what moved'), ...errors(404, 409) },
    }),
    async (c) => c.json(await call<MemberDeactivated>(c, 'member_deactivate', { ...c.req.valid('json'), ...c.req.valid('param') }), 200),
  )
  .openapi(
    memberRoute({
      method: 'post',
      path: '/{id}/reactivate',
      operationId: 'reactivateMember',
      tags,
      summary: 'Reactivate a deactivated member (admin); what was reassigned stays where it went',
      request: { params: MemberIdParam },
      responses: { 200: ok(Member, 'The member, active'), ...errors(404) },
    }),
    async (c) => c.json(await call<Member>(c, 'member_reactivate', c.req.valid('param')), 200),
  )
  /**
   * An admin unlinks a member's Google account or Slack user: once linked,
   * another Google account or Slack user with the same email is refused, so a
   * changed account needs an admin to say so.
   */
  .openapi(
    memberRoute({
      method: 'delete',
      path: '/{id}/identities/{identity}',
      operationId: 'unlinkMemberIdentity',
      tags,
      summary: "Unlink a member's Google account or Slack user (admin), so that the next one with their email links anew",
      request: { params: MemberIdentityParam },
      responses: { 200: ok(Member, 'The member after the change'), ...errors(404) },
    }),
    async (c) => c.json(await call<Member>(c, 'member_unlink_identity', c.req.valid('param')), 200),
  );
