/**
 * An import's report in the reader's language: a sentence per rejected or
 * existing row, a summary saying where each row went, and (when the import
 * skipped the invalid rows) the rejected rows as a CSV to fix and import again.
 */
import { type Locale, type MessageKey, t } from '../i18n/messages.js';
import { toCsv } from './csv.js';
import type { ImportReport, RejectedRow } from './service.js';

export interface LocalizeOptions {
  /** RAPPORT_PUBLIC_URL: the contact pages an existing row points to (/c/<id> on this server when absent) */
  publicUrl?: string;
  /** where the rejected rows' CSV goes: a file's path (the CLI), else the answer's rejectedCsv field */
  rejectedTo?: string;
}

/** The report with a sentence per row and a summary, in the reader's language. */
export function localizeReport(r: ImportReport, locale: Locale, opts: LocalizeOptions = {}): ImportReport {
  const line = (n: number, text: string) => t(locale, 'import_line', { line: n, text });
  const { rejectedFile, ...rest } = r;
  const rejected = r.rejected.map((x) => ({ ...x, message: line(x.line, t(locale, x.reason as MessageKey, x.details)) }));
  return {
    ...rest,
    summary: t(locale, summaryKey(r), {
      rows: r.rows,
      contacts: r.newContacts,
      companies: r.newCompanies,
      existing: r.existing.length,
      rejected: r.rejectedRows,
      imported: r.imported,
      skipped: r.skipped,
      where: opts.rejectedTo ?? 'rejectedCsv',
    }),
    rejected,
    existing: r.existing.map((x) => ({
      ...x,
      message: line(x.line, t(locale, 'import_existing', { email: x.email, contactName: x.contact.name, url: `${opts.publicUrl ?? ''}/c/${x.contact.id}` })),
    })),
    ...(rejectedFile ? { rejectedCsv: rejectedCsv(rejectedFile, rejected, locale) } : {}),
  };
}

/**
 * The rejected rows as the file had them, with a last column saying why (each
 * reason of the row, in the reader's language); the reason column is left
 * out when that file is imported again.
 *   rejectedCsv({ header: ['Name', 'Email'], records: [{ line: 3, fields: ['Jo', 'jo@'] }] }, [{ line: 3, message: 'Line 3: jo@ is not…' }], 'en')
 *     = 'Name,Email,Rejected because\r\nJo,jo@,jo@ is not…\r\n'
 */
export function rejectedCsv(file: NonNullable<ImportReport['rejectedFile']>, rejected: RejectedRow[], locale: Locale): string {
  const why = new Map<number, string[]>();
  for (const r of rejected) why.set(r.line, [...(why.get(r.line) ?? []), t(locale, r.reason as MessageKey, r.details)]);
  const width = file.header.length;
  const rows = file.records.map((rec) => {
    const cells = rec.fields.slice(0, width);
    while (cells.length < width) cells.push('');
    // cells past the header (a row with too many columns) go in the reason
    const extra = rec.fields.slice(width).filter((v) => v.trim());
    return [...cells, [...(why.get(rec.line) ?? []), ...(extra.length ? [extra.join(', ')] : [])].join(' ')];
  });
  return toCsv([[...file.header, t(locale, 'import_rejected_reason_header')], ...rows], { bom: true });
}

function summaryKey(r: ImportReport): MessageKey {
  if (r.skipInvalid && r.dryRun) return 'import_summary_skip_dry_run';
  if (r.skipInvalid) return 'import_summary_skipped';
  if (r.rejectedRows > 0) return 'import_summary_rejected';
  if (r.dryRun) return 'import_summary_dry_run';
  return 'import_summary_done';
}
