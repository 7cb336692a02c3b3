/**
 * Gmail's per-user quota, kept on our side: every call costs units (Gmail
 * API usage limits: 250 units per user per second; messages.get 5,
 * messages.list 5, history.list 2, getProfile 1) and waits until the last
 * second's spending leaves room for it. A sliding window rather than a
 * bucket with a burst, so no one-second window ever holds more than the limit,
 * which is what Google counts.
 */

/** Units a call costs (https://developers.google.com/workspace/gmail/api/reference/quota). */
export const GMAIL_UNITS = {
  'messages.list': 5,
  'messages.get': 5,
  'history.list': 2,
  'labels.list': 1,
  getProfile: 1,
} as const;

export type GmailCall = keyof typeof GMAIL_UNITS;

export interface Quota {
  /** resolves when `units` may be spent now, and records them as spent */
  take(units: number): Promise<void>;
}

/**
 * A quota of unitsPerSecond over any one-second window.
 *   const q = quota(10); await q.take(5); await q.take(5); await q.take(5) // the third waits until the first is a second old
 */
export function quota(unitsPerSecond: number, clock: () => number = () => performance.now()): Quota {
  if (!(unitsPerSecond > 0)) throw new Error(`the Gmail quota must be a positive number of units per second, not ${unitsPerSecond}`);
  const spent: { at: number; units: number }[] = [];
  let queue: Promise<void> = Promise.resolve();
  const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
  async function admit(units: number): Promise<void> {
    // a call dearer than the whole limit would wait for ever: it runs alone in its second
    const need = Math.min(units, unitsPerSecond);
    for (;;) {
      const now = clock();
      while (spent.length && spent[0]!.at <= now - 1000) spent.shift();
      const used = spent.reduce((n, s) => n + s.units, 0);
      if (used + need <= unitsPerSecond) {
        spent.push({ at: now, units: need });
        return;
      }
      // wait until enough of the oldest spending is a second old
      let freed = 0;
      let until = now;
      for (const s of spent) {
        freed += s.units;
        until = s.at + 1000;
        if (used - freed + need <= unitsPerSecond) break;
      }
      await wait(Math.max(1, until - now + 1));
    }
  }
  return {
    take(units) {
      // one at a time, in order of asking: no caller starves behind later ones
      const turn = queue.then(() => admit(units));
      queue = turn.catch(() => undefined);
      return turn;
    },
  };
}
