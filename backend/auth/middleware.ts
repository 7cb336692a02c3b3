import { createMiddleware } from 'hono/factory';
import { ApiError } from '../errors.js';
import { localeOf } from '../i18n/vocabulary.js';
import type { AppDeps, AppEnv, Principal } from '../types.js';
import { hashApiToken, looksLikeApiToken } from './api-tokens.js';
import { looksLikeJwt } from './google-id-token.js';
import { sameSecret } from './same-secret.js';

type Found = { workspaceId: string; memberId: string | null; locale: Principal['locale'] | null; role: Principal['role'] | null } | null;
type Refused = { refused: 'google_account_mismatch' | 'member_deactivated' | 'token_expired' } | { refused: 'not_a_member'; admins: string | null };
type TokenFound = Found | { refused: 'member_deactivated' | 'token_expired' };
type GoogleFound = Found | Refused;

/**
 * What api.auth_token answered for a token, trusted by this copy for
 * deps.tokenTrustMs (RAPPORT_TOKEN_TRUST_MS, 2 s by default): a capture burst
 * (64 clients on one integration's token) then costs one database call a
 * request, not two. A token revoked or a member deactivated in another copy
 * (or by the CLI) is refused here at most that much later; in this copy a
 * change to tokens or members forgets every answer at once. Only acceptances
 * are kept: a new token works at once, a refusal is asked again.
 */
const TOKEN_CACHE_MAX = 10_000;
const tokenCaches = new WeakMap<AppDeps, Map<string, { until: number; found: Exclude<Found, null> }>>();

async function knownToken(deps: AppDeps, tokenHash: string): Promise<TokenFound> {
  const trustMs = deps.tokenTrustMs ?? 0;
  if (trustMs <= 0) return deps.db.callAnonymous<TokenFound>('auth_token', { tokenHash });
  let cache = tokenCaches.get(deps);
  if (!cache) {
    cache = new Map();
    tokenCaches.set(deps, cache);
  }
  const now = Date.now();
  const hit = cache.get(tokenHash);
  if (hit && hit.until > now) return hit.found;
  const known = await deps.db.callAnonymous<TokenFound>('auth_token', { tokenHash });
  if (known && !('refused' in known)) {
    if (cache.size >= TOKEN_CACHE_MAX) cache.clear();
    cache.set(tokenHash, { until: now + trustMs, found: known });
  } else cache.delete(tokenHash);
  return known;
}

/** Tokens, members (a role, a deactivation) and identities: after a change to one, this copy asks the database again. */
const CHANGES_WHO = /^\/api\/(tokens|members|me\/tokens)(\/|$)/;
export function forgetTokens(deps: AppDeps): void {
  tokenCaches.get(deps)?.clear();
}

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
    const known = await knownToken(c.get('deps'), tokenHash);
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
  try {
    await next();
  } finally {
    if (c.req.method !== 'GET' && CHANGES_WHO.test(c.req.path)) forgetTokens(c.get('deps'));
  }
});
