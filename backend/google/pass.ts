import type { Db } from '../db/port.js';
import type { MailboxPass } from './schemas.js';

/** What syncing one claimed mailbox or calendar did. */
export interface SyncedOne {
  pages: number;
  captured: number;
  failed: boolean;
}

/**
 * One pass of a leased sync (Gmail's mailboxes, Google Calendars): the
 * database leases up to `limit` due items to this worker (`claimFn`, e.g.
 * api.mailbox_claim), which syncs them side by side; the pass sums what they did.
 */
export async function leasedPass<T>(
  db: Db,
  claimFn: string,
  o: { workerId: string; leaseSeconds: number; limit: number },
  syncOne: (item: T) => Promise<SyncedOne>,
): Promise<MailboxPass> {
  const { claimed } = await db.callAnonymous<{ claimed: T[] }>(claimFn, o);
  const pass: MailboxPass = { claimed: claimed.length, pages: 0, captured: 0, failed: 0 };
  await Promise.all(
    claimed.map(async (item) => {
      const done = await syncOne(item);
      pass.pages += done.pages;
      pass.captured += done.captured;
      if (done.failed) pass.failed += 1;
    }),
  );
  return pass;
}
