import type { MailboxPass } from './schemas.js';
import { runMailboxStep, type SyncDeps } from './sync.js';

/**
 * Gmail sync in this process: a pass every tickSeconds (a pass with nothing
 * due is one claim query), one at a time; kick() runs one now (after a
 * member connects, so the first mail shows within seconds). Other copies
 * run their own: the leases keep them apart.
 */
export function startMailboxSync(deps: SyncDeps & { tickSeconds?: number }) {
  let running: Promise<MailboxPass> | null = null;
  let again = false;
  let stopped = false;
  const pass = (): Promise<MailboxPass> => {
    if (running) {
      // a kick while a pass runs: one more pass right after it
      again = true;
      return running;
    }
    running = runMailboxStep(deps)
      .catch((e: unknown) => {
        deps.logError?.('mailbox-sync', e);
        return { claimed: 0, pages: 0, captured: 0, failed: 0 };
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
