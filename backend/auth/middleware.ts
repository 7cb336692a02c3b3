import { createMiddleware } from 'hono/factory';
import { ApiError } from '../errors.js';
import { localeOf } from '../i18n/vocabulary.js';
import type { AppEnv, Principal } from '../types.js';
import { hashApiToken, looksLikeApiToken } from './api-tokens.js';
import { looksLikeJwt } from './google-id-token.js';
import { sameSecret } from './same-secret.js';

type Found = { workspaceId: string; memberId: string | null; locale: Principal['locale'] | null; role: Principal['role'] | null } | null;
type Refused = { refused: 'google_account_mismatch' | 'member_deactivated' | 'token_expired' } | { refused: 'not_a_member'; admins: string | null };
type TokenFound = Found | { refused: 'member_deactivated' | 'token_expired' };
type GoogleFound = Found | Refused;

const SERVICE_SCHEME = 'rapport-service';
const SOURCES = new Set(['slack', 'scheduler']);

/**
 * Who is calling, for every /api route:
 * - `Bearer rpt_...`: a personal API token (source api);
 * - `Bearer <JWT>`: a Google ID token from the Gmail add-on (source gmail);
 * - `Rapport-Service <secret>` with X-Rapport-Workspace and one of
 *   X-Rapport-Slack-User / X-Rapport-Member-Email / X-Rapport-Member-Id: the Slack
 *   app or the scheduler acting for a member (source from X-Rapport-Source).
 * No credential -> 401; a verified Google user who is no member -> 403.
 */
export const authenticate = createMiddleware<AppEnv>(async (c, next) => {
  const { db, google, serviceSecret } = c.get('deps');
  const header = c.req.header('authorization')?.trim() ?? '';
  const space = header.indexOf(' ');
  const scheme = (space > 0 ? header.slice(0, space) : header).toLowerCase();
  const credential = space > 0 ? header.slice(space + 1).trim() : '';
  if (!credential) throw new ApiError(401, 'auth_required', {}, undefined, { 'www-authenticate': 'Bearer' });

  let found: Found = null;
  let source: Principal['source'] = 'api';
  let credentialKey: string | undefined;
  if (scheme === 'bearer' && looksLikeApiToken(credential)) {
    const tokenHash = hashApiToken(credential);
    const known = await db.callAnonymous<TokenFound>('auth_token', { tokenHash });
    // an expired token and a person who left each hear their own reason, not "make a new token"
    if (known && 'refused' in known) throw new ApiError(401, known.refused);
    found = known;
    if (!found) throw new ApiError(401, 'token_invalid');
    credentialKey = `token:${tokenHash.slice(0, 32)}`;
  } else if (scheme === 'bearer' && looksLikeJwt(credential)) {
    if (!google) throw new ApiError(401, 'google_token_invalid', { reason: 'audience' });
    const result = await google.verify(credential);
    if (!result.ok) {
      if (result.reason === 'unavailable') throw new ApiError(503, 'google_unavailable', {}, undefined, { 'retry-after': '5' });
      throw new ApiError(401, 'google_token_invalid', { reason: result.reason }, { reason: result.reason });
    }
    const linked = await db.callAnonymous<GoogleFound>('auth_google', {
      sub: result.identity.sub,
      email: result.identity.email,
      ...(result.identity.name ? { name: result.identity.name } : {}),
      ...(localeOf(result.identity.locale) ? { locale: localeOf(result.identity.locale) } : {}),
      workspaceId: c.req.header('x-rapport-workspace') || undefined,
    });
    // the member is linked to another Google account with this address: refused until an admin unlinks it
    // no member, and the workspace is known: the 403 names its admins to ask
    if (linked && 'refused' in linked && linked.refused === 'not_a_member') {
      const email = result.identity.email;
      throw linked.admins ? new ApiError(403, 'not_a_member_ask', { email, admins: linked.admins }) : new ApiError(403, 'not_a_member', { email });
    }
    if (linked && 'refused' in linked) throw new ApiError(401, linked.refused, { email: result.identity.email });
    found = linked;
    if (!found) throw new ApiError(403, 'not_a_member', { email: result.identity.email });
    source = 'gmail';
    credentialKey = `member:${found.memberId}`;
  } else if (scheme === SERVICE_SCHEME && serviceSecret && sameSecret(credential, serviceSecret)) {
    const workspaceId = c.req.header('x-rapport-workspace') ?? '';
    const wanted = c.req.header('x-rapport-source') ?? 'slack';
    if (!/^[0-9a-f-]{36}$/i.test(workspaceId) || !SOURCES.has(wanted)) throw new ApiError(401, 'service_auth_invalid');
    found = await db.callAnonymous<Found>('auth_service', {
      workspaceId,
      slackUserId: c.req.header('x-rapport-slack-user') || undefined,
      email: c.req.header('x-rapport-member-email') || undefined,
      memberId: c.req.header('x-rapport-member-id') || undefined,
    });
    if (!found || (found.memberId === null && wanted !== 'scheduler')) throw new ApiError(401, 'service_auth_invalid');
    source = wanted as Principal['source'];
    // a Slack user has the budget of a person, as a token or the Gmail add-on does (the same one)
    if (source === 'slack' && found.memberId) credentialKey = `member:${found.memberId}`;
  } else {
    throw new ApiError(401, scheme === 'bearer' ? 'token_invalid' : 'auth_required', {}, undefined, {
      'www-authenticate': 'Bearer',
    });
  }
  c.set('principal', {
    workspaceId: found.workspaceId,
    memberId: found.memberId,
    locale: found.locale ?? undefined,
    role: found.role ?? undefined,
    source,
    ...(credentialKey ? { credentialKey } : {}),
  });
  await next();
});
