import { Hono } from 'hono';
import type { Context } from 'hono';
import { call, validate } from '../http.js';
import type { AppEnv } from '../types.js';
import {
  DigestSegmentPut,
  DigestClaimBody,
  DigestFinishBody,
  DigestSettingsPatch,
  WorkspaceDigestPatch,
  type Digest,
  type DigestClaimResult,
  type DigestFinishResult,
  type DigestSettings,
  type DigestStatus,
  type WorkspaceDigestDefaults,
} from './schemas.js';

/**
 * The caller's daily digest (mounted at /api/me/digest): the digest itself,
 * composed at the server's now in the caller's timezone (`/crm digest` and
 * the scheduler both read it), their settings, and how deliveries went.
 */
export const digestRoutes = new Hono<AppEnv>()
  .get('/', async (c) => c.json(await call<Digest>(c, 'digest_compose', {})))
  .patch('/', validate('json', DigestSettingsPatch), async (c) => {
    return c.json(await call<DigestSettings>(c, 'digest_settings', c.req.valid('json')));
  })
  .get('/status', async (c) => c.json(await call<DigestStatus>(c, 'digest_status', {})))
  // scope the caller's digest to a saved segment (null: the whole team again)
  .put('/segment', validate('json', DigestSegmentPut), async (c) => {
    return c.json(await call<{ segment: { id: string; name: string } | null }>(c, 'digest_segment_set', c.req.valid('json')));
  });

/** The workspace's digest defaults (mounted at /api/workspace): admins only. */
export const workspaceDigestRoutes = new Hono<AppEnv>().patch('/digest', validate('json', WorkspaceDigestPatch), async (c) => {
  return c.json(await call<WorkspaceDigestDefaults>(c, 'workspace_digest_defaults', c.req.valid('json')));
});

const nowOf = (c: Context<AppEnv>) => (c.get('deps').clock ?? (() => new Date()))().toISOString();

/**
 * The scheduler's side (mounted at /api/slack/digests, behind the service
 * secret): claim the members whose digest is due, then say how each went.
 * "Now" is the server's clock, as for every other route.
 */
export const digestServiceRoutes = new Hono<AppEnv>()
  .post('/claim', validate('json', DigestClaimBody), async (c) => {
    const args = { ...c.req.valid('json'), now: nowOf(c) };
    return c.json(await c.get('deps').db.callAnonymous<DigestClaimResult>('digest_claim', args));
  })
  .post('/finish', validate('json', DigestFinishBody), async (c) => {
    const args = { ...c.req.valid('json'), now: nowOf(c) };
    return c.json(await c.get('deps').db.callAnonymous<DigestFinishResult>('digest_finish', args));
  });
