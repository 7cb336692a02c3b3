import { digestRoutes } from '../digests/routes.js';
import { call } from '../http.js';
import { Member } from '../members/schemas.js';
import { jsonBody, memberRoute, ok, router } from '../openapi/route.js';
import { Activity, ActivityQuery, Me, MeCapture, MePatch, Welcomed } from './schemas.js';

export { ActivityQuery, MePatch };

/**
 * A member's capture address: the inbound address with their secret after a +.
 *   captureAddress('log@in.example.com', 'k7qm2xwz9a') = 'log+k7qm2xwz9a@in.example.com'
 */
export function captureAddress(base: string, secret: string): string {
  const at = base.lastIndexOf('@');
  return `${base.slice(0, at)}+${secret}${base.slice(at)}`;
}

function withAddress(base: string | undefined, capture: Omit<MeCapture, 'address'>): MeCapture {
  return { address: base ? captureAddress(base, capture.secret) : null, ...capture };
}

const tags: ['me'] = ['me'];

export const meRoutes = router()
  .openapi(
    memberRoute({
      method: 'get',
      path: '/',
      operationId: 'getMe',
      tags,
      summary: 'The caller: member and workspace',
      responses: { 200: ok(Me, 'The caller') },
    }),
    async (c) => c.json(await call<Me>(c, 'me', {}), 200),
  )
  // the language this member reads Rapport in, chosen by them (Slack's /crm lang)
  .openapi(
    memberRoute({
      method: 'patch',
      path: '/',
      operationId: 'setMyLocale',
      tags,
      summary: 'Choose the language Rapport speaks to the caller in',
      request: { body: jsonBody(MePatch) },
      responses: { 200: ok(Member, 'The member after the change') },
    }),
    async (c) => c.json(await call<Member>(c, 'member_set_locale', c.req.valid('json')), 200),
  )
  // the latest interactions on contacts the caller owns (Slack's App Home)
  .openapi(
    memberRoute({
      method: 'get',
      path: '/activity',
      operationId: 'getMyActivity',
      tags,
      summary: 'The latest interactions on contacts the caller owns, each with its contact',
      request: { query: ActivityQuery },
      responses: { 200: ok(Activity, 'Newest first') },
    }),
    async (c) => c.json(await call<Activity>(c, 'me_activity', c.req.valid('query')), 200),
  )
  // the caller's capture address: BCC or forward mail there to capture it
  .openapi(
    memberRoute({
      method: 'get',
      path: '/capture',
      operationId: 'getMyCaptureAddress',
      tags,
      summary: "The caller's capture address (BCC or forward mail to it to log it) and the latest mail refused there",
      responses: { 200: ok(MeCapture, 'The address; made on first ask') },
    }),
    async (c) => c.json(withAddress(c.get('deps').inbound?.address, await call<Omit<MeCapture, 'address'>>(c, 'me_capture', {})), 200),
  )
  .openapi(
    memberRoute({
      method: 'post',
      path: '/capture/rotate',
      operationId: 'rotateMyCaptureAddress',
      tags,
      summary: 'A new capture address for the caller; mail to the old one is refused from now on',
      responses: { 200: ok(MeCapture, 'The new address') },
    }),
    async (c) => c.json(withAddress(c.get('deps').inbound?.address, await call<Omit<MeCapture, 'address'>>(c, 'me_capture_rotate', {})), 200),
  )
  // a person who joined by themselves was told so (the add-on, after showing it): not again
  .openapi(
    memberRoute({
      method: 'post',
      path: '/welcome',
      operationId: 'markWelcomed',
      tags,
      summary: 'Say that the caller was told they joined the workspace, so no surface tells them again',
      responses: { 200: ok(Welcomed, 'Whether there was a welcome to show') },
    }),
    async (c) => c.json(await call<Welcomed>(c, 'member_welcomed', {}), 200),
  )
  .route('/digest', digestRoutes);
