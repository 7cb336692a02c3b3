import { randomUUID } from 'node:crypto';
import { unseal } from '../crypto.js';
import { leasedPass } from './pass.js';
import type { Db } from '../db/port.js';
import type { GmailAuth, GmailCursor, SyncedMessage, SyncPage } from './gmail.js';
import type { AccessLostReason } from './errors.js';
import type { MailboxNotice, MailboxPass } from './schemas.js';
import type { GmailSettings } from './settings.js';
import { RECONNECT_LINK_DAYS, reconnectQuery } from './state.js';

/**
 * One pass of Gmail sync, run by any number of server copies at once: the
 * database leases each due mailbox to one worker (api.mailbox_claim); the
 * worker reads a page from Google, and the page's captures, skips and the
 * cursor after it commit in one call (api.mailbox_page), so a copy killed
 * mid-import leaves the cursor at its last committed page for the next.
 * A mailbox importing keeps its lease for a budget of pages, then lets the
 * others have a turn; one that is up to date is due again in pollSeconds.
 */
export interface SyncDeps {
  db: Db;
  gmail: GmailSettings;
  /** who holds the leases: unique per process */
  workerId?: string;
  now?: () => Date;
  /** the reconnect DM (the Slack app's), once per failure */
  notice?: (n: MailboxNotice) => Promise<void>;
  logError?: (ref: string, e: unknown) => void;
  /** mailboxes leased per pass (default 4), read side by side */
  limit?: number;
  /** pages one mailbox may take before others get a turn (default 40) */
  pageBudget?: number;
  /** and at most this long (default 20 s) */
  timeBudgetMs?: number;
  /** messages per page (default 100) */
  pageSize?: number;
  leaseSeconds?: number;
}

interface Claimed {
  id: string;
  workspaceId: string;
  memberId: string;
  address: string;
  mode: 'oauth' | 'delegated';
  sealedToken: string | null;
  scopes: string[];
  cursor: Partial<GmailCursor>;
  lastSyncAt: string | null;
  metadataOnly: boolean;
}

interface Failed {
  lost: boolean;
  notify: boolean;
  member: { workspaceId: string; memberId: string; slackUserId: string | null; slackTeamId: string | null; locale: 'en' | 'ja' | 'zh'; address: string };
}

/** a page read, or why it could not be: kept until it is wanted, so a failure ahead of time is no unhandled rejection */
type Settled<T> = { page: T } | { error: unknown };

const DAY = 86_400_000;
const PROCESS_WORKER = `mailboxes:${randomUUID()}`;

export async function runMailboxStep(deps: SyncDeps): Promise<MailboxPass> {
  const workerId = deps.workerId ?? PROCESS_WORKER;
  const leaseSeconds = deps.leaseSeconds ?? 120;
  return leasedPass<Claimed>(deps.db, 'mailbox_claim', { workerId, leaseSeconds, limit: deps.limit ?? 4 }, (mb) => syncOne(deps, workerId, leaseSeconds, mb));
}

async function syncOne(deps: SyncDeps, workerId: string, leaseSeconds: number, mb: Claimed) {
  const now = deps.now ?? (() => new Date());
  const out = { pages: 0, captured: 0, failed: false };
  const { GoogleAccessLost, GoogleUnavailable, HistoryExpired, fetchPage, gmailReader } = await import('./gmail.js');
  const fail = async (error: string, o: { reconnect?: AccessLostReason; retryAfterSeconds?: number } = {}) => {
    out.failed = true;
    const res = await deps.db.callAnonymous<Failed>('mailbox_failed', {
      id: mb.id,
      workerId,
      error,
      reconnect: Boolean(o.reconnect),
      ...(o.retryAfterSeconds ? { retryAfterSeconds: Math.ceil(o.retryAfterSeconds) } : {}),
    });
    if (res.notify && o.reconnect && deps.notice) {
      await deps.notice(notice(deps.gmail, res.member, o.reconnect, now())).catch((e: unknown) => deps.logError?.('mailbox-notice', e));
    }
  };
  const auth = authOf(deps.gmail, mb);
  if (!auth) {
    await fail(mb.mode === 'oauth' && deps.gmail.oauth ? 'mailbox_error_key_changed' : 'mailbox_not_available', { reconnect: 'invalid_grant' });
    return out;
  }
  const started = now().getTime();
  const importAfter = new Date(started - deps.gmail.importDays * DAY).toISOString();
  let cursor: GmailCursor = mb.cursor.phase ? (mb.cursor as GmailCursor) : { phase: 'import', importAfter };
  try {
    const reader = await gmailReader(auth, { quotaUnitsPerSecond: deps.gmail.quotaUnitsPerSecond });
    const pageBudget = deps.pageBudget ?? 40;
    const read = (from: GmailCursor): Promise<Settled<SyncPage>> =>
      fetchPage(reader, from, { metadataOnly: mb.metadataOnly, pageSize: deps.pageSize ?? 100 }).then(
        (page) => ({ page }),
        (error: unknown) => ({ error }),
      );
    // the next page is read from Google while this one commits: the two take
    // about as long, and one waits for Google, the other for the database
    let next: Promise<Settled<SyncPage>> | null = read(cursor);
    for (let n = 0; next; n++) {
      const got: Settled<SyncPage> = await next;
      if ('error' in got) throw got.error;
      const page: SyncPage = got.page;
      const more: boolean = page.next.phase === 'import' || Boolean(page.next.pageToken);
      const inBudget = n + 1 < pageBudget && now().getTime() - started <= (deps.timeBudgetMs ?? 20_000);
      next = more && inBudget ? read(page.next) : null;
      const res = await deps.db.callAnonymous<{ lost: boolean; captured?: number }>('mailbox_page', {
        id: mb.id,
        workerId,
        leaseSeconds,
        messages: page.messages.map(captureMessage),
        skipped: page.skipped,
        cursor: page.next,
        importDone: page.importDone,
      });
      // another copy holds the mailbox now (our lease ran out): it goes on from the committed cursor
      if (res.lost) {
        await next;
        return out;
      }
      out.pages += 1;
      out.captured += res.captured ?? 0;
      cursor = page.next;
    }
    const caughtUp = cursor.phase === 'incremental' && !cursor.pageToken;
    await deps.db.callAnonymous('mailbox_release', { id: mb.id, workerId, dueInSeconds: caughtUp ? deps.gmail.pollSeconds : 0 });
  } catch (e) {
    if (e instanceof HistoryExpired) {
      // Google forgot the history id: import again what may have been missed
      // since the last good sync (bounded by the import window); Message-IDs make repeats no-ops
      const since = Math.max(Date.parse(mb.lastSyncAt ?? importAfter) - DAY, Date.parse(importAfter));
      await deps.db.callAnonymous('mailbox_release', { id: mb.id, workerId, dueInSeconds: 0, reimport: { importAfter: new Date(since).toISOString() } });
    } else if (e instanceof GoogleAccessLost) {
      await fail(`mailbox_error_${e.reason}`, { reconnect: e.reason });
    } else if (e instanceof GoogleUnavailable) {
      await fail('mailbox_error_google_unavailable', e.retryAfterSeconds ? { retryAfterSeconds: e.retryAfterSeconds } : {});
    } else {
      deps.logError?.('mailbox-sync', e);
      await fail('mailbox_error_unknown');
    }
  }
  return out;
}

/** How the worker reaches the mailbox: the member's sealed refresh token, or the admin's delegation. */
export function authOf(gmail: GmailSettings, mb: Pick<Claimed, 'mode' | 'address' | 'scopes' | 'sealedToken' | 'memberId'>): GmailAuth | null {
  if (mb.mode === 'delegated') {
    if (!gmail.delegation) return null;
    return { kind: 'delegated', keyFile: gmail.delegation.keyFile, subject: mb.address, scopes: mb.scopes, endpoints: gmail.endpoints };
  }
  if (!gmail.oauth || !mb.sealedToken) return null;
  const refreshToken = unseal(gmail.serverKey, 'google-refresh-token', mb.memberId, mb.sealedToken);
  return refreshToken ? { kind: 'oauth', app: gmail.oauth, refreshToken } : null;
}

/** What the capture SQL reads of a message (crm.gmail_capture_args): not Gmail's own ids and labels. */
function captureMessage(m: SyncedMessage) {
  const { gmailId: _id, threadId: _thread, labels: _labels, ...rest } = m;
  return rest;
}

function notice(gmail: GmailSettings, member: Failed['member'], reason: AccessLostReason, at: Date): MailboxNotice {
  const expires = Math.floor(at.getTime() / 1000) + RECONNECT_LINK_DAYS * 86_400;
  const base = gmail.publicUrl ?? '';
  return {
    workspaceId: member.workspaceId,
    memberId: member.memberId,
    slackTeamId: member.slackTeamId,
    slackUserId: member.slackUserId,
    locale: member.locale,
    address: member.address,
    reason: reason === 'no_refresh_token' ? 'invalid_grant' : reason,
    reconnectUrl: `${base}/google/connect?${reconnectQuery(gmail.serverKey, member, expires)}`,
  };
}
