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
  /** resolves when `units` may be spent now, and records them as spent; call the answer when the call has its response */
  take(units: number): Promise<() => void>;
}

/**
 * A quota of unitsPerSecond over any one-second window. Units count from when
 * a call is admitted until a second after its response came: Google counts a
 * call when it arrives, which is somewhere in between, so no second of
 * arrivals can hold more than the limit however slow the network.
 *   const q = quota(10); (await q.take(5))(); (await q.take(5))(); await q.take(5) // the third waits until the first is a second old
 */
export function quota(unitsPerSecond: number, clock: () => number = () => performance.now()): Quota {
  if (!(unitsPerSecond > 0)) throw new Error(`the Gmail quota must be a positive number of units per second, not ${unitsPerSecond}`);
  const spent: { units: number; until: number }[] = [];
  let queue: Promise<unknown> = Promise.resolve();
  const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
  async function admit(units: number): Promise<() => void> {
    // a call dearer than the whole limit would wait for ever: it runs alone in its second
    const need = Math.min(units, unitsPerSecond);
    for (;;) {
      const now = clock();
      for (let i = spent.length - 1; i >= 0; i--) if (spent[i]!.until <= now) spent.splice(i, 1);
      const used = spent.reduce((n, s) => n + s.units, 0);
      if (used + need <= unitsPerSecond) {
        const entry = { units: need, until: Number.POSITIVE_INFINITY };
        spent.push(entry);
        return () => {
          entry.until = clock() + 1000;
        };
      }
      // the soonest a unit is freed; a call still in flight is looked at again shortly
      const soonest = Math.min(...spent.map((s) => s.until));
      await wait(Number.isFinite(soonest) ? Math.max(1, Math.min(20, soonest - now + 1)) : 10);
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
