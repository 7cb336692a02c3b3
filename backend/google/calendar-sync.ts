import { randomUUID } from 'node:crypto';
import type { Db } from '../db/port.js';
import type { CalendarCursor } from './calendar.js';
import type { MailboxPass } from './schemas.js';
import type { GmailSettings } from './settings.js';
import { leasedPass } from './pass.js';
import { authOf } from './sync.js';

/**
 * One pass of Calendar sync, run by any number of server copies at once, as
 * Gmail sync is (sync.ts): the database leases each due calendar to one
 * worker (api.calendar_claim); the worker reads a page of events from Google
 * and the page, the cursor after it and the meetings that have started since
 * commit in one call (api.calendar_page), so a copy killed mid-sync leaves
 * the cursor at its last committed page. A calendar up to date is due again
 * in pollSeconds (RAPPORT_GMAIL_POLL_SECONDS, the mailbox's schedule); a
 * poll with no change still commits, which captures the meetings that began.
 */
export interface CalendarSyncDeps {
  db: Db;
  gmail: GmailSettings;
  workerId?: string;
  now?: () => Date;
  logError?: (ref: string, e: unknown) => void;
  /** calendars leased per pass (default 4) */
  limit?: number;
  /** pages one calendar may take before others get a turn (default 40) */
  pageBudget?: number;
  timeBudgetMs?: number;
  /** events per page (default 250) */
  pageSize?: number;
  leaseSeconds?: number;
  /** the window of a full sync (default 90 days back, 60 ahead) */
  backDays?: number;
  aheadDays?: number;
}

interface Claimed {
  id: string;
  workspaceId: string;
  memberId: string;
  address: string;
  mode: 'oauth' | 'delegated';
  sealedToken: string | null;
  scopes: string[];
  cursor: CalendarCursor;
}

const PROCESS_WORKER = `calendars:${randomUUID()}`;

export async function runCalendarStep(deps: CalendarSyncDeps): Promise<MailboxPass> {
  const workerId = deps.workerId ?? PROCESS_WORKER;
  const leaseSeconds = deps.leaseSeconds ?? 120;
  return leasedPass<Claimed>(deps.db, 'calendar_claim', { workerId, leaseSeconds, limit: deps.limit ?? 4 }, (cal) =>
    syncOne(deps, workerId, leaseSeconds, cal),
  );
}

async function syncOne(deps: CalendarSyncDeps, workerId: string, leaseSeconds: number, cal: Claimed) {
  const now = deps.now ?? (() => new Date());
  const out = { pages: 0, captured: 0, failed: false };
  const { GoogleAccessLost, GoogleUnavailable, SyncTokenExpired, calendarReader, fetchEvents } = await import('./calendar.js');
  const fail = async (error: string, retryAfterSeconds?: number) => {
    out.failed = true;
    await deps.db.callAnonymous('calendar_failed', {
      id: cal.id,
      workerId,
      error,
      ...(retryAfterSeconds ? { retryAfterSeconds: Math.ceil(retryAfterSeconds) } : {}),
    });
  };
  const auth = authOf(deps.gmail, cal);
  if (!auth) {
    await fail('mailbox_not_available');
    return out;
  }
  const started = now().getTime();
  let cursor: CalendarCursor = cal.cursor ?? {};
  try {
    const reader = await calendarReader(auth);
    for (let n = 0; n < (deps.pageBudget ?? 40); n++) {
      const page = await fetchEvents(reader, cursor, {
        now: now(),
        pageSize: deps.pageSize ?? 250,
        ...(deps.backDays ? { backDays: deps.backDays } : {}),
        ...(deps.aheadDays ? { aheadDays: deps.aheadDays } : {}),
      });
      const res = await deps.db.callAnonymous<{ lost: boolean; captured?: number }>('calendar_page', {
        id: cal.id,
        workerId,
        leaseSeconds,
        events: page.events,
        cursor: page.next,
        fullStart: page.fullStart,
        fullDone: page.fullDone,
        ...(page.window ? { window: page.window } : {}),
      });
      // another copy holds the calendar now: it goes on from the committed cursor
      if (res.lost) return out;
      out.pages += 1;
      out.captured += res.captured ?? 0;
      cursor = page.next;
      if (!page.more) break;
      if (now().getTime() - started > (deps.timeBudgetMs ?? 20_000)) break;
    }
    const caughtUp = Boolean(cursor.syncToken) && !cursor.pageToken;
    await deps.db.callAnonymous('calendar_release', { id: cal.id, workerId, dueInSeconds: caughtUp ? deps.gmail.pollSeconds : 0 });
  } catch (e) {
    if (e instanceof SyncTokenExpired) {
      // Google forgot the token: the bounded full sync again, at once; events and meetings are keyed, so nothing doubles
      await deps.db.callAnonymous('calendar_release', { id: cal.id, workerId, dueInSeconds: 0, restart: true });
    } else if (e instanceof GoogleAccessLost) {
      // the mailbox's own failure tells the member to reconnect; a calendar scope taken away is said here
      await fail(e.reason === 'insufficient_scope' ? 'calendar_error_insufficient_scope' : `mailbox_error_${e.reason}`);
    } else if (e instanceof GoogleUnavailable) {
      await fail('mailbox_error_google_unavailable', e.retryAfterSeconds);
    } else {
      deps.logError?.('calendar-sync', e);
      await fail('mailbox_error_unknown');
    }
  }
  return out;
}
