import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { sameSecret } from '../../backend/auth/same-secret.js';
import { BackendError } from '../backend-client.js';
import type { InstallationStore } from './installations.js';
import { sendPage } from './page.js';
import { BOT_SCOPES } from './scopes.js';
import { STATE_TTL_SECONDS, signState, verifyInstallLink, verifyState } from './state.js';

export interface InstallRouteOptions {
  installations: InstallationStore;
  clientId: string;
  clientSecret: string;
  serverKey: Buffer;
  /** RAPPORT_PUBLIC_URL: Slack sends the browser back to <publicUrl>/slack/oauth_redirect */
  publicUrl: string;
  /** SLACK_API_URL, for oauth.v2.access and auth.test; Slack's own by default */
  apiUrl?: string | undefined;
  clock?: (() => Date) | undefined;
  logError?: ((e: unknown) => void) | undefined;
}

export const STATE_COOKIE = 'rapport_slack_oauth_state';
const SLACK_TIMEOUT_MS = 10_000;

/** What oauth.v2.access answers (the fields Rapport reads). */
interface OAuthAccess {
  ok: boolean;
  error?: string;
  token_type?: string;
  access_token?: string;
  scope?: string;
  bot_user_id?: string;
  team?: { id?: string; name?: string } | null;
  enterprise?: { id?: string; name?: string } | null;
  is_enterprise_install?: boolean;
  authed_user?: { id?: string };
}

/** A Slack error code, shortened, as a page may show it (escaped there). */
const slackError = (e: unknown) => (typeof e === 'string' && e ? e.slice(0, 100) : 'unknown_error');

/**
 * "Add to Slack": GET /install sends the browser to Slack's consent screen
 * with a signed state (also in an HttpOnly cookie, checked on return), and
 * GET /oauth_redirect turns Slack's code into an installation, its bot token
 * encrypted before it leaves this process. Every failure is a 400 page saying
 * what went wrong; nothing is stored unless everything succeeded.
 */
export function installRoutes(o: InstallRouteOptions) {
  const redirectUri = `${o.publicUrl.replace(/\/+$/, '')}/slack/oauth_redirect`;
  const secure = o.publicUrl.startsWith('https:');
  const apiBase = (o.apiUrl ?? 'https://slack.com/api/').replace(/\/?$/, '/');
  const nowSeconds = () => Math.floor((o.clock?.() ?? new Date()).getTime() / 1000);
  const log = o.logError ?? ((e: unknown) => console.error('[rapport] slack install:', e instanceof Error ? e.message : e));
  const cookie = { path: '/slack', httpOnly: true, secure, sameSite: 'Lax' as const };

  async function slackApi<T>(method: string, form: Record<string, string>, token?: string): Promise<T | { ok: false; error: string }> {
    const res = await fetch(`${apiBase}${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: new URLSearchParams(form).toString(),
      signal: AbortSignal.timeout(SLACK_TIMEOUT_MS),
    });
    return (await res.json().catch(() => ({ ok: false, error: `http_${res.status}` }))) as T;
  }

  const failed = (c: Context, e: unknown) => {
    log(e);
    return sendPage(c, 400, 'install_title_failed', 'install_failed', { reason: e instanceof BackendError ? e.code : 'unexpected_error' });
  };

  return (
    new Hono()
      // only with a link an admin made (npm run slack:install-link), signed with
      // the server key: the Slack team installing gets the workspace's
      // deliveries and its members' identities, so it is the admin's choice
      .get('/install', async (c) => {
        const q = c.req.query();
        let workspaceId: string;
        if (q.workspace === undefined && q.sig === undefined) return sendPage(c, 400, 'install_title_failed', 'install_link_required');
        try {
          const link = verifyInstallLink(o.serverKey, { workspace: q.workspace, expires: q.expires, sig: q.sig }, nowSeconds());
          if (!link.ok) return sendPage(c, 400, 'install_title_failed', link.reason === 'expired' ? 'install_link_expired' : 'install_link_invalid');
          const target = await o.installations.target(link.workspaceId);
          if (!target.workspace) return sendPage(c, 400, 'install_title_failed', 'install_link_invalid');
          workspaceId = target.workspace.id;
        } catch (e) {
          return failed(c, e);
        }
        const state = signState(o.serverKey, workspaceId, nowSeconds() + STATE_TTL_SECONDS);
        setCookie(c, STATE_COOKIE, state, { ...cookie, maxAge: STATE_TTL_SECONDS });
        const authorize = new URL('https://slack.com/oauth/v2/authorize');
        authorize.search = new URLSearchParams({
          client_id: o.clientId,
          scope: BOT_SCOPES.join(','),
          redirect_uri: redirectUri,
          state,
        }).toString();
        c.header('cache-control', 'no-store');
        return c.redirect(authorize.toString(), 302);
      })
      .get('/oauth_redirect', async (c) => {
        const q = c.req.query();
        const fromCookie = getCookie(c, STATE_COOKIE);
        deleteCookie(c, STATE_COOKIE, cookie);
        if (q.error) return sendPage(c, 400, 'install_title_failed', 'install_cancelled', { error: slackError(q.error) });
        const check = verifyState(o.serverKey, q.state ?? '', nowSeconds());
        if (!check.ok) return sendPage(c, 400, 'install_title_failed', check.reason === 'expired' ? 'install_state_expired' : 'install_state_invalid');
        if (!fromCookie) return sendPage(c, 400, 'install_title_failed', 'install_cookie_missing');
        if (!sameSecret(fromCookie, q.state!)) return sendPage(c, 400, 'install_title_failed', 'install_state_invalid');
        if (!q.code) return sendPage(c, 400, 'install_title_failed', 'install_slack_refused', { error: 'no_code' });

        try {
          const access = await slackApi<OAuthAccess>('oauth.v2.access', {
            client_id: o.clientId,
            client_secret: o.clientSecret,
            code: q.code,
            redirect_uri: redirectUri,
          });
          if (!access.ok) return sendPage(c, 400, 'install_title_failed', 'install_slack_refused', { error: slackError(access.error) });
          const a = access as OAuthAccess;
          if (a.is_enterprise_install || !a.team?.id) return sendPage(c, 400, 'install_title_failed', 'install_enterprise');
          if (a.token_type !== 'bot' || !a.access_token?.startsWith('xoxb-') || !a.bot_user_id) {
            return sendPage(c, 400, 'install_title_failed', 'install_slack_refused', { error: 'no_bot_token' });
          }
          // oauth.v2.access does not say the bot's id; auth.test does, and proves the token works
          const who = await slackApi<{ ok: true; bot_id?: string; team_id?: string }>('auth.test', {}, a.access_token);
          if (!who.ok) return sendPage(c, 400, 'install_title_failed', 'install_slack_refused', { error: slackError(who.error) });
          if (!who.bot_id || who.team_id !== a.team.id) return sendPage(c, 400, 'install_title_failed', 'install_slack_refused', { error: 'team_mismatch' });
          const team = a.team.name || a.team.id;
          try {
            await o.installations.save({
              teamId: a.team.id,
              workspaceId: check.workspaceId,
              botToken: a.access_token,
              botUserId: a.bot_user_id,
              botId: who.bot_id,
              scopes: a.scope ?? '',
              ...(a.team.name ? { teamName: a.team.name.slice(0, 200) } : {}),
              ...(a.enterprise?.id ? { enterpriseId: a.enterprise.id } : {}),
              ...(a.authed_user?.id ? { installedBy: a.authed_user.id } : {}),
            });
          } catch (e) {
            // the token is not revoked: Slack gives a reinstall the same bot token, which the other workspace still uses
            if (e instanceof BackendError && e.status === 409) return sendPage(c, 400, 'install_title_failed', 'install_team_taken', { team });
            throw e;
          }
          return sendPage(c, 200, 'install_title_done', 'install_done', { team });
        } catch (e) {
          return failed(c, e);
        }
      })
  );
}
