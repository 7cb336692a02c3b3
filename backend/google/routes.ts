import type { Context } from 'hono';
import { $ } from '@hono/zod-openapi';
import { seal, unseal } from '../crypto.js';
import { DbError } from '../db/port.js';
import { ApiError, localeOf } from '../errors.js';
import { call, callerOf } from '../http.js';
import { type MessageKey, isMessageKey, t } from '../i18n/messages.js';
import { errors, jsonBody, memberRoute, ok, publicRoute, router } from '../openapi/route.js';
import { ErrorBody } from '../schemas.js';
import type { AppEnv } from '../types.js';
import { mailboxPage } from './page.js';
import {
  MailboxAuthorize,
  MailboxConnect,
  MailboxDelegate,
  MailboxDelegated,
  MailboxList,
  MailboxPatch,
  MailboxStatus,
  OAuthCallbackQuery,
  ReconnectQuery,
} from './schemas.js';
import { CONSENT_TTL_SECONDS, type MemberRef, signConsentState, verifyConsentState, verifyReconnect } from './state.js';
import type { GmailSettings } from './settings.js';

const tags: ['mailbox'] = ['mailbox'];
type Row = Omit<MailboxStatus, 'available'>;

/** The SQL's error key (mailbox_error_*) in the reader's words. */
function words(c: Context<AppEnv>, key: string | null): string | null {
  return key === null ? null : isMessageKey(key) ? t(localeOf(c), key) : t(localeOf(c), 'mailbox_error_unknown');
}

/** The mailbox's and its calendar's last errors in the reader's words. */
function withWords<T extends { lastError: string | null; calendar?: { lastError: string | null } }>(c: Context<AppEnv>, row: T): T {
  return {
    ...row,
    lastError: words(c, row.lastError),
    ...(row.calendar ? { calendar: { ...row.calendar, lastError: words(c, row.calendar.lastError) } } : {}),
  };
}

function settings(c: Context<AppEnv>): GmailSettings {
  const gmail = c.get('deps').gmail;
  if (!gmail) throw new ApiError(409, 'mailbox_not_available');
  return gmail;
}

/** Google's consent page for one member: gmail.readonly, or gmail.metadata when the workspace keeps bodies out; and calendar.events.readonly on the same page when asked. */
export async function consentUrl(
  gmail: GmailSettings,
  who: MemberRef,
  o: { metadataOnly: boolean; loginHint?: string; calendar?: boolean },
  nowSeconds: number,
) {
  const { authorizeUrl, CALENDAR_EVENTS_SCOPE, GMAIL_SCOPE } = await import('./oauth.js');
  if (!gmail.oauth) throw new ApiError(409, 'mailbox_not_available');
  const state = signConsentState(gmail.serverKey, who, nowSeconds + CONSENT_TTL_SECONDS);
  const scopes = [o.metadataOnly ? GMAIL_SCOPE.metadata : GMAIL_SCOPE.readonly, ...(o.calendar ? [CALENDAR_EVENTS_SCOPE] : [])];
  return authorizeUrl(gmail.oauth, { scopes, state, ...(o.loginHint ? { loginHint: o.loginHint } : {}) });
}

const nowSeconds = (c: Context<AppEnv>) => Math.floor((c.get('deps').clock ?? (() => new Date()))().getTime() / 1000);

/** /api/me/mailbox and /api/mailboxes: a member's Gmail sync, and every member's for admins. */
export const mailboxRoutes = router()
  .openapi(
    memberRoute({
      method: 'get',
      path: '/me/mailbox',
      operationId: 'getMyMailbox',
      tags,
      summary: "The caller's Gmail sync: status, last sync, last error in plain words, counts",
      responses: { 200: ok(MailboxStatus, 'The mailbox (status off when never connected)') },
    }),
    async (c) => c.json({ available: Boolean(c.get('deps').gmail), ...withWords(c, await call<Row>(c, 'mailbox_get', {})) }, 200),
  )
  .openapi(
    memberRoute({
      method: 'post',
      path: '/me/mailbox',
      operationId: 'connectMyMailbox',
      tags,
      summary: "Connect Gmail (and with calendar: true, Google Calendar): keeps the caller's choices and answers Google's consent page",
      request: { body: jsonBody(MailboxConnect) },
      responses: { 200: ok(MailboxAuthorize, 'Open authorizeUrl in a browser'), ...errors(409) },
    }),
    async (c) => {
      const gmail = settings(c);
      if (!gmail.oauth) throw new ApiError(409, 'mailbox_not_available');
      const { calendar, ...choices } = c.req.valid('json');
      let row = await call<Row>(c, 'mailbox_update', choices);
      if (calendar !== undefined) row = await call<Row>(c, 'calendar_set', { calendar });
      const caller = callerOf(c);
      const who = { workspaceId: caller.workspaceId, memberId: caller.memberId! };
      const target = await c.get('deps').db.callAnonymous<{ email: string; metadataOnly: boolean }>('mailbox_reconnect_target', who);
      // a member whose calendar already syncs keeps it when connecting again
      const withCalendar = calendar ?? (row.calendar.enabled && row.calendar.granted);
      const authorizeUrl = await consentUrl(gmail, who, { metadataOnly: target.metadataOnly, loginHint: target.email, calendar: withCalendar }, nowSeconds(c));
      return c.json({ authorizeUrl }, 200);
    },
  )
  .openapi(
    memberRoute({
      method: 'patch',
      path: '/me/mailbox',
      operationId: 'updateMyMailbox',
      tags,
      summary: 'What sync captures for the caller, who sees it, addresses never captured, whether the calendar syncs',
      request: { body: jsonBody(MailboxPatch) },
      responses: { 200: ok(MailboxStatus, 'The mailbox after the change') },
    }),
    async (c) => {
      const { calendar, ...choices } = c.req.valid('json');
      if (calendar !== undefined) await call<Row>(c, 'calendar_set', { calendar });
      return c.json({ available: Boolean(c.get('deps').gmail), ...withWords(c, await call<Row>(c, 'mailbox_update', choices)) }, 200);
    },
  )
  .openapi(
    memberRoute({
      method: 'delete',
      path: '/me/mailbox',
      operationId: 'disconnectMyMailbox',
      tags,
      summary: 'Stop syncing and revoke Rapport\u2019s access at Google; what was captured stays',
      responses: { 200: ok(MailboxStatus, 'The mailbox, off') },
    }),
    async (c) => {
      const out = await call<{ mailbox: Row; sealedToken: string | null }>(c, 'mailbox_disconnect', {});
      const gmail = c.get('deps').gmail;
      if (out.sealedToken && gmail?.oauth) {
        const token = unseal(gmail.serverKey, 'google-refresh-token', callerOf(c).memberId!, out.sealedToken);
        // sync stopped either way; a revoke Google does not answer is logged, never shown with the token
        if (token) {
          const { revokeToken } = await import('./oauth.js');
          await revokeToken(gmail.oauth, token).catch((e: unknown) => c.get('deps').logError?.('mailbox-revoke', e));
        }
      }
      return c.json({ available: Boolean(gmail), ...withWords(c, out.mailbox) }, 200);
    },
  )
  .openapi(
    memberRoute({
      method: 'get',
      path: '/mailboxes',
      operationId: 'listMailboxes',
      tags,
      summary: "Every member's Gmail sync, for admins: status, last sync, last error, counts",
      responses: { 200: ok(MailboxList, 'Mailboxes in trouble first') },
    }),
    async (c) => {
      const list = await call<MailboxList>(c, 'mailboxes_list', {});
      return c.json({ items: list.items.map((x) => withWords(c, x)) }, 200);
    },
  )
  .openapi(
    memberRoute({
      method: 'post',
      path: '/mailboxes/delegated',
      operationId: 'delegateMailboxes',
      tags,
      summary: "Turn on sync for members through the Workspace admin's domain-wide delegation (admins)",
      request: { body: jsonBody(MailboxDelegate) },
      responses: { 200: ok(MailboxDelegated, 'How many mailboxes now sync'), ...errors(404, 409) },
    }),
    async (c) => {
      const gmail = settings(c);
      if (!gmail.delegation) throw new ApiError(409, 'mailbox_delegation_not_configured');
      const { CALENDAR_EVENTS_SCOPE, GMAIL_SCOPE } = await import('./oauth.js');
      const { calendar, ...body } = c.req.valid('json');
      const scopes = [GMAIL_SCOPE.readonly, ...(calendar ? [CALENDAR_EVENTS_SCOPE] : [])];
      return c.json(await call<{ turnedOn: number }>(c, 'mailboxes_delegate', { ...body, scopes }), 200);
    },
  );

/** /google/*: where Google's consent comes back, and where a reconnect link leads. */
export const googlePageRoutes = $(router())
  .openapi(
    publicRoute({
      method: 'get',
      path: '/oauth_callback',
      operationId: 'googleOAuthCallback',
      tags,
      summary: "Where Google's consent returns: the mailbox is connected and starts importing",
      request: { query: OAuthCallbackQuery },
      responses: {
        200: { description: 'Connected, or the member declined: a page saying which', content: { 'text/html': { schema: { type: 'string' } } } },
        400: {
          description: 'A state this server did not sign, or an expired one: a page saying so (JSON when the query itself is malformed)',
          content: { 'text/html': { schema: { type: 'string' } }, 'application/json': { schema: ErrorBody } },
        },
      },
    }),
    async (c) => {
      const gmail = c.get('deps').gmail;
      const q = c.req.valid('query');
      if (!gmail?.oauth) return mailboxPage(c, 400, 'mailbox_page_failed', 'mailbox_not_available');
      const check = verifyConsentState(gmail.serverKey, q.state ?? '', nowSeconds(c));
      if (!check.ok) return mailboxPage(c, 400, 'mailbox_page_failed', check.reason === 'expired' ? 'mailbox_link_expired' : 'mailbox_link_invalid');
      if (q.error || !q.code) return mailboxPage(c, 200, 'mailbox_page_declined', 'mailbox_page_declined_body');
      const { exchangeCode, GMAIL_SCOPE } = await import('./oauth.js');
      const { GoogleAccessLost } = await import('./gmail.js');
      let granted: { refreshToken: string; email: string; scopes: string[] };
      try {
        granted = await exchangeCode(gmail.oauth, q.code);
      } catch (e) {
        if (e instanceof GoogleAccessLost) return mailboxPage(c, 400, 'mailbox_page_failed', `mailbox_error_${e.reason}` as MessageKey);
        c.get('deps').logError?.('google-oauth', e);
        return mailboxPage(c, 400, 'mailbox_page_failed', 'mailbox_error_google_unavailable');
      }
      if (!granted.scopes.includes(GMAIL_SCOPE.readonly) && !granted.scopes.includes(GMAIL_SCOPE.metadata)) {
        return mailboxPage(c, 400, 'mailbox_page_failed', 'mailbox_error_insufficient_scope');
      }
      try {
        await c.get('deps').db.callAnonymous('mailbox_connected', {
          workspaceId: check.workspaceId,
          memberId: check.memberId,
          address: granted.email,
          mode: 'oauth',
          sealedToken: seal(gmail.serverKey, 'google-refresh-token', check.memberId, granted.refreshToken),
          scopes: granted.scopes,
        });
      } catch (e) {
        // a colleague's Google account, or a member deactivated since: said on the page; access handed back
        if (!(e instanceof DbError) || !isMessageKey(e.key)) throw e;
        const { revokeToken } = await import('./oauth.js');
        await revokeToken(gmail.oauth, granted.refreshToken).catch(() => undefined);
        return mailboxPage(c, 400, 'mailbox_page_failed', e.key, { email: granted.email });
      }
      // the first page is fetched now, not at the next tick
      void c
        .get('deps')
        .jobs?.mailboxes?.()
        .catch((e: unknown) => c.get('deps').logError?.('mailbox-sync', e));
      return mailboxPage(c, 200, 'mailbox_page_connected', 'mailbox_page_connected_body', { address: granted.email });
    },
  )
  .openapi(
    publicRoute({
      method: 'get',
      path: '/connect',
      operationId: 'googleReconnect',
      tags,
      summary: "A reconnect link from Rapport's DM: leads to Google's consent for that member",
      request: { query: ReconnectQuery },
      responses: {
        302: { description: "To Google's consent page" },
        400: {
          description: 'A link this server did not sign, or an expired one: a page saying so (JSON when the query itself is malformed)',
          content: { 'text/html': { schema: { type: 'string' } }, 'application/json': { schema: ErrorBody } },
        },
      },
    }),
    async (c) => {
      const gmail = c.get('deps').gmail;
      if (!gmail?.oauth) return mailboxPage(c, 400, 'mailbox_page_failed', 'mailbox_not_available');
      const check = verifyReconnect(gmail.serverKey, c.req.valid('query'), nowSeconds(c));
      if (!check.ok) return mailboxPage(c, 400, 'mailbox_page_failed', check.reason === 'expired' ? 'mailbox_link_expired' : 'mailbox_link_invalid');
      const target = await c
        .get('deps')
        .db.callAnonymous<{ email: string; metadataOnly: boolean }>('mailbox_reconnect_target', check)
        .catch(() => null);
      if (!target) return mailboxPage(c, 400, 'mailbox_page_failed', 'mailbox_link_invalid');
      const url = await consentUrl(gmail, check, { metadataOnly: target.metadataOnly, loginHint: target.email }, nowSeconds(c));
      c.header('cache-control', 'no-store');
      c.header('referrer-policy', 'no-referrer');
      return c.redirect(url, 302);
    },
  );
