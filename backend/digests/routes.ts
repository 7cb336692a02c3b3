import type { Context } from 'hono';
import { call } from '../http.js';
import { errors, jsonBody, memberRoute, ok, router, serviceRoute } from '../openapi/route.js';
import type { AppEnv } from '../types.js';
import {
  Digest,
  DigestClaimBody,
  DigestClaimResult,
  DigestFinishBody,
  DigestFinishResult,
  DigestScope,
  DigestSegmentPut,
  DigestSettings,
  DigestSettingsPatch,
  DigestStatus,
  WorkspaceDigestDefaults,
  WorkspaceDigestPatch,
} from './schemas.js';

const tags: ['digests'] = ['digests'];

/**
 * The caller's daily digest (mounted at /api/me/digest): the digest itself,
 * composed at the server's now in the caller's timezone (`/crm digest` and
 * the scheduler both read it), their settings, and how deliveries went.
 */
export const digestRoutes = router()
  .openapi(
    memberRoute({
      method: 'get',
      path: '/',
      operationId: 'getDigest',
      tags,
      summary: "The caller's daily digest now, in their timezone",
      description: "Overdue and due-today follow-ups of their team, customers waiting for a reply, customers going cold, yesterday's activity.",
      responses: { 200: ok(Digest, 'The digest (exact totals, short lists)') },
    }),
    async (c) => c.json(await call<Digest>(c, 'digest_compose', {}), 200),
  )
  .openapi(
    memberRoute({
      method: 'patch',
      path: '/',
      operationId: 'updateDigestSettings',
      tags,
      summary: "Turn the caller's digest on or off, or choose its time and whether it comes on weekends",
      request: { body: jsonBody(DigestSettingsPatch) },
      responses: { 200: ok(DigestSettings, 'The settings after the change') },
    }),
    async (c) => c.json(await call<DigestSettings>(c, 'digest_settings', c.req.valid('json')), 200),
  )
  .openapi(
    memberRoute({
      method: 'get',
      path: '/status',
      operationId: 'getDigestStatus',
      tags,
      summary: "The caller's digest settings, their latest 14 deliveries, and their team's failed deliveries of the last 14 days",
      responses: { 200: ok(DigestStatus, 'Settings and deliveries') },
    }),
    async (c) => c.json(await call<DigestStatus>(c, 'digest_status', {}), 200),
  )
  // scope the caller's digest to a saved segment (null: the whole team again)
  .openapi(
    memberRoute({
      method: 'put',
      path: '/segment',
      operationId: 'setDigestSegment',
      tags,
      summary: "Scope the caller's digest to a saved segment (its follow-ups, waiting and going-cold contacts), or null for the whole team",
      request: { body: jsonBody(DigestSegmentPut) },
      responses: { 200: ok(DigestScope, 'The segment now in force'), ...errors(404) },
    }),
    async (c) => c.json(await call<DigestScope>(c, 'digest_segment_set', c.req.valid('json')), 200),
  );

/** The workspace's digest defaults (mounted at /api/workspace): admins only. */
export const workspaceDigestRoutes = router().openapi(
  memberRoute({
    method: 'patch',
    path: '/digest',
    operationId: 'updateWorkspaceDigest',
    tags,
    summary: "Admins: the workspace's digest defaults (time, weekends, what an empty digest does, reply window, going-cold threshold)",
    request: { body: jsonBody(WorkspaceDigestPatch) },
    responses: { 200: ok(WorkspaceDigestDefaults, 'The defaults after the change') },
  }),
  async (c) => c.json(await call<WorkspaceDigestDefaults>(c, 'workspace_digest_defaults', c.req.valid('json')), 200),
);

const nowOf = (c: Context<AppEnv>) => (c.get('deps').clock ?? (() => new Date()))().toISOString();

/**
 * The scheduler's side (mounted at /api/slack/digests, behind the service
 * secret): claim the members whose digest is due, then say how each went.
 * "Now" is the server's clock, as for every other route.
 */
export const digestServiceRoutes = router()
  .openapi(
    serviceRoute({
      method: 'post',
      path: '/claim',
      operationId: 'claimDigests',
      tags: ['slack'],
      summary: 'Claim the members whose digest is due (a lease; two servers never claim the same member and local date)',
      request: { body: jsonBody(DigestClaimBody) },
      responses: { 200: ok(DigestClaimResult, 'The deliveries claimed, latest due first') },
    }),
    async (c) => {
      const args = { ...c.req.valid('json'), now: nowOf(c) };
      return c.json(await c.get('deps').db.callAnonymous<DigestClaimResult>('digest_claim', args), 200);
    },
  )
  .openapi(
    serviceRoute({
      method: 'post',
      path: '/finish',
      operationId: 'finishDigest',
      tags: ['slack'],
      summary: 'How a claimed delivery ended (sent, skipped, retry at retryAt, failed)',
      request: { body: jsonBody(DigestFinishBody) },
      responses: { 200: ok(DigestFinishResult, 'Whether the worker still held the delivery') },
    }),
    async (c) => {
      const args = { ...c.req.valid('json'), now: nowOf(c) };
      return c.json(await c.get('deps').db.callAnonymous<DigestFinishResult>('digest_finish', args), 200);
    },
  );
