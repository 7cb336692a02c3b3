import type { MailboxPass } from './schemas.js';
import { runMailboxStep, type SyncDeps } from './sync.js';

/** Gmail sync in this process (see startSyncLoop). */
export function startMailboxSync(deps: SyncDeps & { tickSeconds?: number }) {
  return startSyncLoop(() => runMailboxStep(deps), { ...deps, ref: 'mailbox-sync' });
}

/**
 * A sync in this process (Gmail's, Calendar's): a pass every tickSeconds (a pass with nothing
 * due is one claim query), one at a time, and the next one at once after a
 * pass that read mail (an import goes on without gaps); kick() runs one now
 * (after a member connects, so the first mail shows within seconds). Other copies
 * run their own: the leases keep them apart.
 */
export function startSyncLoop(step: () => Promise<MailboxPass>, deps: { tickSeconds?: number; ref: string; logError?: (ref: string, e: unknown) => void }) {
  let running: Promise<MailboxPass> | null = null;
  let again = false;
  let stopped = false;
  const pass = (): Promise<MailboxPass> => {
    if (running) {
      // a kick while a pass runs: one more pass right after it
      again = true;
      return running;
    }
    running = step()
      .catch((e: unknown) => {
        deps.logError?.(deps.ref, e);
        return { claimed: 0, pages: 0, captured: 0, failed: 0 };
      })
      .then((done) => {
        // a pass that read pages may have left an import due at once: go on without waiting for the tick
        if (done.pages > 0) again = true;
        return done;
      })
      .finally(() => {
        running = null;
        if (again && !stopped) {
          again = false;
          void pass();
        }
      });
    return running;
  };
  const timer = setInterval(() => void pass(), (deps.tickSeconds ?? 5) * 1000);
  timer.unref();
  return {
    kick: pass,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
