/**
 * One import, shared by POST /api/imports and `npm run import`: the file is
 * read, mapped and checked row by row in a worker thread (prepare.ts), then
 * the rows go to api.contacts_import in parts, so that no call holds the
 * database for long: checked part by part first when there is more than one,
 * written part by part only when no row was rejected, and undone
 * (api.contacts_import_undo) if a part fails while writing. A file writes
 * everything or nothing either way, unless skipInvalid: then the valid rows
 * are written part by part and the rejected ones come back as they were in
 * the file (localizeReport makes them a CSV with a reason column).
 */
import { randomUUID } from 'node:crypto';
import type { CallerContext, Db } from '../db/port.js';
import type { CsvRecord, Encoding } from './csv.js';
import type { Locale } from '../i18n/vocabulary.js';
import type { Format } from './mapping.js';
import { DEFAULT_MAX_IMPORT_ROWS, type PreparePhase } from './prepare.js';
import type { ImportRow, RowProblem } from './rows.js';
import { prepareInWorker } from './worker-client.js';
import type { ImportSource } from './worker-protocol.js';

export { prepareImport } from './prepare.js';
export { localizeReport } from './report.js';

export type Phase = PreparePhase | 'write';

export interface ImportOptions {
  dryRun?: boolean;
  /** write the valid rows and hand back the rejected ones, rather than nothing */
  skipInvalid?: boolean;
  /** the importer's locale: readings computed from names (pinyin for zh) */
  locale?: Locale;
  /** `field=Header` overrides of the guessed mapping */
  map?: string[];
  fileName?: string;
  /** data rows a file may have (RAPPORT_IMPORT_MAX_ROWS, 200,000 by default) */
  maxRows?: number;
  /** rows per database call, instead of the size chosen for the database (tests) */
  partRows?: number;
  onProgress?: (phase: Phase, done: number, total: number) => void;
}

export interface ExistingRow {
  line: number;
  email: string;
  contact: { id: string; name: string };
  message?: string;
}

export interface RejectedRow extends RowProblem {
  message?: string;
}

/** What an import did, or a dry run would do; the same report either way. */
export interface ImportReport {
  dryRun: boolean;
  /** true when the new contacts were written */
  written: boolean;
  skipInvalid: boolean;
  format: Format;
  encoding: Encoding;
  mapping: Record<string, string[]>;
  /** headers of the columns nothing reads */
  ignored: string[];
  /** values a `stage=Header:VIP=customer` mapping gave a stage */
  stageValues: Record<string, string>;
  /** data rows in the file (the header not counted) */
  rows: number;
  /** contacts written */
  imported: number;
  /** rows rejected (not written) */
  skipped: number;
  /** contacts this import made (or, when nothing was written, would make) */
  newContacts: number;
  newCompanies: number;
  rejectedRows: number;
  rejected: RejectedRow[];
  existing: ExistingRow[];
  importId: string | null;
  /** skipInvalid: the file's header and its rejected records as read, for the rejected rows' CSV */
  rejectedFile?: { header: string[]; records: CsvRecord[] };
  summary?: string;
  /** skipInvalid: the rejected rows as CSV, the file's columns and a reason column */
  rejectedCsv?: string;
}

interface SqlReport {
  dryRun: boolean;
  written: boolean;
  rows: number;
  newContacts: number;
  newCompanies: number;
  newCompanyKeys: string[];
  rejectedRows: number;
  rejected: RowProblem[];
  existing: ExistingRow[];
  importId: string | null;
}

/**
 * Rows per call: on PGlite, whose one connection every other request waits
 * for, sized as the import goes so that a call takes about PART_MS (a
 * request arriving meanwhile waits no longer than that); on a server, where
 * other requests have connections of their own, a fixed part.
 * A part on PGlite costs ~15-25 ms whatever its size (six temporary tables
 * and the checks) and ~0.3 ms a row, so a shorter part means a slower import
 * (20,000 rows: 7.0 s as one call, which held every other request for all of
 * it; 11.4 s in parts of 80 ms; 19.1 s in parts of 50 ms).
 */
const PART_MS = 60;
/** how long an import's next part waits for other calls on PGlite's one connection to finish */
const YIELD_MS = 40;
const PGLITE_FIRST_PART = 100;
const PGLITE_PART = { min: 50, max: 2_000 };
const SERVER_PART = 5_000;

function partSizer(db: Db, fixed?: number) {
  if (fixed || db.kind !== 'pglite') return { size: () => fixed ?? SERVER_PART, took: (_rows: number, _ms: number) => {} };
  let size = PGLITE_FIRST_PART;
  return {
    size: () => size,
    took(rows: number, ms: number) {
      const wanted = Math.round((rows * PART_MS) / Math.max(ms, 1));
      // halfway towards what would have taken PART_MS, within bounds
      size = Math.min(PGLITE_PART.max, Math.max(PGLITE_PART.min, Math.round((size + wanted) / 2)));
    },
  };
}

/** The whole import of a CSV file (see the top of this file). Throws ImportFileError for a file that cannot be read as contacts. */
export function importCsv(db: Db, ctx: CallerContext, bytes: Uint8Array, opts: ImportOptions = {}): Promise<ImportReport> {
  return runImport(db, ctx, { csv: bytes }, opts);
}

/**
 * The whole import of an upload: a request body of the given content type
 * (a multipart form or JSON, read where the file is prepared), whose own
 * fields say dryRun, map and the file's name (and onProgress, the admin
 * page's progress bar). Throws UploadError as well.
 */
export function importUpload(
  db: Db,
  ctx: CallerContext,
  chunks: Uint8Array[],
  contentType: string,
  opts: Pick<ImportOptions, 'maxRows' | 'partRows' | 'onProgress' | 'locale'> = {},
) {
  return runImport(db, ctx, { chunks, contentType }, opts);
}

async function runImport(db: Db, ctx: CallerContext, source: ImportSource, given: ImportOptions): Promise<ImportReport> {
  const file = await prepareInWorker(source, {
    map: given.map ?? [],
    maxRows: given.maxRows ?? DEFAULT_MAX_IMPORT_ROWS,
    locale: given.locale ?? 'en',
    skipInvalid: given.skipInvalid ?? false,
    ...(given.onProgress ? { onProgress: given.onProgress } : {}),
  });
  // an upload's own fields, where it had them
  const opts: ImportOptions = { ...given, ...file.summary.upload };
  const dryRun = opts.dryRun ?? false;
  const skip = opts.skipInvalid ?? false;
  try {
    const p = file.summary;
    const base = { fileName: opts.fileName ?? null, format: p.format };
    // a checking part costs a fraction of a writing one: each phase sizes its own
    let sizer = partSizer(db, opts.partRows);
    const total = p.rowCount;
    const send = async (rows: ImportRow[], extra: Record<string, unknown>) => {
      // PGlite runs each call on this thread, and between calls only promises
      // resolve: without a turn of the event loop here, a request that arrived
      // meanwhile (I/O, timers) would wait for the whole import. Then the
      // other calls on its one connection go first (a request makes two or
      // three in turn), for up to YIELD_MS, so that one waits for one part
      // at most rather than one part per call
      await new Promise<void>((resolve) => setImmediate(resolve));
      for (const until = performance.now() + YIELD_MS; (db.inFlight?.() ?? 0) > 0 && performance.now() < until; ) {
        await new Promise<void>((resolve) => setTimeout(resolve, 1));
      }
      const started = performance.now();
      const res = await db.call<SqlReport>('contacts_import', ctx, { rows, ...base, ...extra });
      sizer.took(rows.length, performance.now() - started);
      return res;
    };
    /** every part in turn; stops early when each returns false */
    const eachPart = async (fn: (rows: ImportRow[], part: number, done: number) => Promise<boolean>) => {
      for (let from = 0, part = 1; from < total; part++) {
        const rows = await file.rows(from, sizer.size());
        if (!(await fn(rows, part, from))) return;
        from += rows.length;
      }
    };
    const finish = async (sql: Pick<SqlReport, 'written' | 'newContacts' | 'newCompanies' | 'rejected' | 'existing' | 'importId'>): Promise<ImportReport> => {
      const rejected = [...p.rejected, ...sql.rejected].sort((a, b) => a.line - b.line);
      const lines = [...new Set(rejected.map((r) => r.line))];
      return {
        dryRun,
        written: sql.written,
        skipInvalid: skip,
        format: p.format,
        encoding: p.encoding,
        mapping: p.mapping,
        ignored: p.ignored,
        stageValues: p.stageValues,
        rows: p.records,
        imported: sql.written ? sql.newContacts : 0,
        skipped: lines.length,
        newContacts: sql.newContacts,
        newCompanies: sql.newCompanies,
        rejectedRows: lines.length,
        rejected,
        existing: sql.existing,
        importId: sql.importId,
        ...(skip && lines.length ? { rejectedFile: { header: p.header, records: await file.records(lines) } } : {}),
      };
    };

    opts.onProgress?.('write', 0, 1);
    // a file of one part: one call checks it and, when it may, writes it, as one transaction
    if (total <= sizer.size()) {
      const sql = await send(await file.rows(0, total), { dryRun: dryRun || (!skip && p.rejected.length > 0), skipInvalid: skip });
      opts.onProgress?.('write', 1, 1);
      return finish(sql);
    }

    // skipping the invalid rows: each part writes its valid ones, undone together if one fails
    if (skip && !dryRun) {
      const importId = randomUUID();
      const wrote = { newContacts: 0, newCompanies: 0, rejected: [] as RowProblem[], existing: [] as ExistingRow[], any: false };
      try {
        await eachPart(async (rows, part, done) => {
          const sql = await send(rows, { dryRun: false, skipInvalid: true, importId, part });
          wrote.any ||= sql.written;
          wrote.newContacts += sql.written ? sql.newContacts : 0;
          wrote.newCompanies += sql.written ? sql.newCompanies : 0;
          wrote.rejected.push(...sql.rejected);
          wrote.existing.push(...sql.existing);
          opts.onProgress?.('write', done + rows.length, total);
          return true;
        });
      } catch (e) {
        await db.call('contacts_import_undo', ctx, { importId }).catch(() => undefined);
        throw e;
      }
      opts.onProgress?.('write', 1, 1);
      return finish({ ...wrote, written: wrote.any, importId: wrote.any ? importId : null });
    }

    // more: check every part first, for a complete report and before any write
    const checked = { newContacts: 0, companies: new Set<string>(), rejected: [] as RowProblem[], existing: [] as ExistingRow[] };
    await eachPart(async (rows, _part, done) => {
      const sql = await send(rows, { dryRun: true });
      checked.newContacts += sql.newContacts;
      for (const k of sql.newCompanyKeys) checked.companies.add(k);
      checked.rejected.push(...sql.rejected);
      checked.existing.push(...sql.existing);
      opts.onProgress?.('write', (done + rows.length) / 2, total);
      return true;
    });
    if (dryRun || p.rejected.length > 0 || checked.rejected.length > 0) {
      opts.onProgress?.('write', 1, 1);
      return finish({
        written: false,
        newContacts: checked.newContacts,
        newCompanies: checked.companies.size,
        rejected: checked.rejected,
        existing: checked.existing,
        importId: null,
      });
    }

    // then write them, each part naming the import, undone together if one fails
    sizer = partSizer(db, opts.partRows);
    const importId = randomUUID();
    const wrote = { newContacts: 0, newCompanies: 0, existing: [] as ExistingRow[], refused: [] as RowProblem[], any: false };
    try {
      await eachPart(async (rows, part, done) => {
        const sql = await send(rows, { dryRun: false, importId, part });
        if (sql.rejected.length > 0) {
          // changed since the check (an owner left, an address was taken...): the whole file stays out
          wrote.refused = sql.rejected;
          return false;
        }
        wrote.any ||= sql.written;
        wrote.newContacts += sql.newContacts;
        wrote.newCompanies += sql.newCompanies;
        wrote.existing.push(...sql.existing);
        opts.onProgress?.('write', (total + done + rows.length) / 2, total);
        return true;
      });
    } catch (e) {
      await db.call('contacts_import_undo', ctx, { importId }).catch(() => undefined);
      throw e;
    }
    opts.onProgress?.('write', 1, 1);
    if (wrote.refused.length > 0) {
      await db.call('contacts_import_undo', ctx, { importId });
      return finish({
        written: false,
        newContacts: checked.newContacts,
        newCompanies: checked.companies.size,
        rejected: wrote.refused,
        existing: checked.existing,
        importId: null,
      });
    }
    return finish({
      written: wrote.any,
      newContacts: wrote.newContacts,
      newCompanies: wrote.newCompanies,
      rejected: [],
      existing: wrote.existing,
      importId: wrote.any ? importId : null,
    });
  } finally {
    await file.close();
  }
}
