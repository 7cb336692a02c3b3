/**
 * Captures that arrive together reach the database together. A capture is
 * sent at once while fewer than `maxInFlight` capture calls are in the
 * database; the ones arriving meanwhile wait, and when a call comes back
 * they go as one api.interaction_capture_many of their workspace (the
 * batched capture path: one round trip, one commit, set-based statements).
 * A lone capture waits for nothing; under load, batches grow by themselves.
 *
 * Each capture is answered as api.interaction_capture would answer it: the
 * batch function answers every item separately, an item's refusal rejects
 * that capture only, and a batch the database refuses as a whole (a caller
 * deactivated a moment ago, the database down) is sent again one capture at
 * a time, so no capture gets another's error.
 *
 *   const captured = await captureBatched(db, ctx, args) // as db.call('interaction_capture', ctx, args)
 */
import { type CallerContext, type Db, toDbError } from '../db/port.js';

interface Waiting {
  ctx: CallerContext;
  args: object;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

type Answer = { error: { code: string; message: string; detail: string | null } } | Record<string, unknown>;

export interface CaptureBatchOptions {
  /** capture calls in the database at once (default 2: the rest of a pool stays for reads) */
  maxInFlight?: number;
  /** captures per batch (default 100) */
  maxBatch?: number;
}

class CaptureBatcher {
  private readonly waiting: Waiting[] = [];
  private inFlight = 0;
  private readonly maxInFlight: number;
  private readonly maxBatch: number;

  constructor(
    private readonly db: Db,
    o: CaptureBatchOptions,
  ) {
    this.maxInFlight = Math.max(1, o.maxInFlight ?? 2);
    this.maxBatch = Math.max(1, o.maxBatch ?? 100);
  }

  capture<T>(ctx: CallerContext, args: object): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({ ctx, args, resolve: resolve as (v: unknown) => void, reject });
      this.pump();
    });
  }

  private pump() {
    while (this.inFlight < this.maxInFlight && this.waiting.length > 0) {
      // the oldest capture's workspace, and the others of it waiting (a batch is one workspace's)
      const ws = this.waiting[0]!.ctx.workspaceId;
      const batch: Waiting[] = [];
      for (let i = 0; i < this.waiting.length && batch.length < this.maxBatch; ) {
        if (this.waiting[i]!.ctx.workspaceId === ws) batch.push(...this.waiting.splice(i, 1));
        else i++;
      }
      this.inFlight++;
      this.send(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async send(batch: Waiting[]) {
    if (batch.length === 1) return this.one(batch[0]!);
    let results: Answer[];
    try {
      ({ results } = await this.db.callAnonymous<{ results: Answer[] }>('interaction_capture_many', {
        items: batch.map((w) => ({ ctx: w.ctx, args: w.args })),
      }));
    } catch {
      // refused as a whole: each capture on its own, for its own answer
      await Promise.all(batch.map((w) => this.one(w)));
      return;
    }
    batch.forEach((w, i) => {
      const r = results[i];
      if (r && 'error' in r && r.error && typeof r.error === 'object') w.reject(toDbError(r.error as { code: string; message: string; detail: string | null }));
      else w.resolve(r);
    });
  }

  private async one(w: Waiting) {
    try {
      w.resolve(await this.db.call('interaction_capture', w.ctx, w.args));
    } catch (e) {
      w.reject(e);
    }
  }
}

const batchers = new WeakMap<Db, CaptureBatcher>();

/** api.interaction_capture(ctx, args), batched with the captures arriving at the same time on this database. */
export function captureBatched<T>(db: Db, ctx: CallerContext, args: object, o: CaptureBatchOptions = {}): Promise<T> {
  let b = batchers.get(db);
  if (!b) {
    b = new CaptureBatcher(db, o);
    batchers.set(db, b);
  }
  return b.capture<T>(ctx, args);
}
