import type { PreparedImport, PreparePhase } from './prepare.js';
import type { ImportRow } from './rows.js';

/** What the server asks of the import worker. */
export type WorkerRequest =
  | { type: 'prepare'; bytes: Uint8Array; map: string[]; maxRows: number }
  | { type: 'rows'; from: number; count: number }
  | { type: 'close' };

/** A prepared file without its rows, which stay in the worker; threadId: the thread that read it. */
export type PreparedSummary = Omit<PreparedImport, 'rows'> & { rowCount: number; threadId: number };

/** What the worker answers. */
export type WorkerReply =
  | { type: 'progress'; phase: PreparePhase; done: number; total: number }
  | { type: 'prepared'; summary: PreparedSummary }
  | { type: 'file-error'; key: string; params: Record<string, unknown> }
  | { type: 'rows'; rows: ImportRow[] };
