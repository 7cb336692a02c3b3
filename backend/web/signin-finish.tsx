/** @jsxImportSource hono/jsx */
import type { Context } from 'hono';
import { type MessageKey, pickLocale, t } from '../i18n/messages.js';
import { type Locale, localeOf } from '../i18n/vocabulary.js';
import { publicPage } from './layout.js';
import { newWebToken, safeNext, setSessionCookie, type WebEnv } from './session.js';
import type { Provider } from './signin-state.js';

/** Who a provider says signed in, after Rapport checked its ID token (the address verified). */
export interface Verified {
  via: Provider;
  /** Slack's user id (U…), Google's subject */
  sub: string;
  email: string;
  name?: string;
  locale?: string;
  /** Slack: the team signed in to */
  teamId?: string;
  /** Slack: users.info, for a person who is not a member yet (may they join) */
  profile?: { full: boolean; name?: string; timezone?: string };
  /** Google: the workspace chosen among several */
  workspaceId?: string;
}

export type Choice = { workspaceId: string; name: string };
type Outcome = { workspaceId: string; memberId: string } | { refused: string; admins?: string | null } | { choose: Choice[] };

export const PROVIDER_NAMES: Record<Provider, string> = { slack: 'Slack', google: 'Google' };

/** The reader's language: their browser's, else what the provider said of them. */
export function readerLocale(c: Context, hint?: string): Locale {
  return pickLocale(c.req.header('accept-language'), localeOf(hint) ?? 'en');
}

/** A refusal: what happened in the reader's words, a 4xx, and the way back to the sign-in page. */
export function refusedPage(c: Context, locale: Locale, key: MessageKey, vars: Record<string, unknown>, status: 400 | 403 | 404) {
  return publicPage(c, locale, {
    title: t(locale, 'web_signin_refused_title'),
    status,
    body: (
      <>
        <h1>{t(locale, 'web_signin_refused_title')}</h1>
        <p>{t(locale, key, vars)}</p>
        <a class="button secondary" href="/signin">
          {t(locale, 'web_start_again')}
        </a>
      </>
    ),
  });
}

/** api.web_signin's refusals as catalogue sentences and statuses. */
function refusal(c: Context, who: Verified, out: { refused: string; admins?: string | null }) {
  const locale = readerLocale(c, who.locale);
  const email = who.email;
  switch (out.refused) {
    case 'not_a_member':
      return out.admins
        ? refusedPage(c, locale, 'not_a_member_ask', { email, admins: out.admins }, 403)
        : refusedPage(c, locale, 'not_a_member', { email }, 403);
    case 'member_deactivated':
    case 'web_signin_team_unknown':
      return refusedPage(c, locale, out.refused, {}, 403);
    case 'google_account_mismatch':
      return refusedPage(c, locale, 'google_account_mismatch', { email }, 403);
    default:
      return refusedPage(c, locale, 'web_signin_failed', {}, 400);
  }
}

/**
 * The member the verified identity stands for (matched, linked, or joined
 * under the workspace's policy, by api.web_signin) signed in: a session
 * cookie and a 303 to `next`. Or the refusal page; or, for a Google address
 * in several workspaces, the list to choose from (the caller shows it).
 */
export async function finishSignin(c: Context<WebEnv>, who: Verified, next: string): Promise<Response | { choose: Choice[] }> {
  const session = newWebToken();
  const out = await c.get('deps').db.callAnonymous<Outcome>('web_signin', { ...who, sessionHash: session.hash });
  if ('choose' in out) return out;
  if ('refused' in out) return refusal(c, who, out);
  setSessionCookie(c, session.token);
  c.header('cache-control', 'no-store');
  return c.redirect(safeNext(next), 303);
}

/** Where a provider sends the browser back: <public URL>/signin/<provider>/callback. */
export function callbackUrl(c: Context<WebEnv>, provider: Provider): string {
  const base = (c.get('deps').publicUrl ?? new URL(c.req.url).origin).replace(/\/+$/, '');
  return `${base}/signin/${provider}/callback`;
}

/** A provider's error code as a page may show it: short, and only its plain characters. */
export function providerError(e: unknown): string {
  const code = typeof e === 'string' ? e : ((e as { data?: { error?: unknown } })?.data?.error ?? (e as { code?: unknown })?.code);
  return typeof code === 'string' && code ? code.replace(/[^\w.-]/g, '').slice(0, 60) || 'unknown_error' : 'unknown_error';
}
