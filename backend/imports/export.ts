/**
 * Everything a workspace holds about its contacts, as JSON or as a CSV that
 * `npm run import` and POST /api/imports read back unchanged (UTF-8 with a
 * BOM, so that Excel opens it; custom fields as `custom.<key>` columns).
 */
import type { CallerContext, Db } from '../db/port.js';
import { toCsv } from './csv.js';
import { joinTags } from './cells.js';

export interface ExportedContact {
  id: string;
  name: string;
  emails: string[];
  phone: string | null;
  title: string | null;
  company: { name: string; domain: string | null } | null;
  stage: string;
  /** the owner's email */
  owner: string | null;
  tags: string[];
  custom: Record<string, string | number | boolean | null>;
  timezone: string | null;
  lastInteractionAt: string | null;
  createdAt: string;
}

export type ExportFormat = 'csv' | 'json';

/** The header of the CSV; each name is one the import maps back to its field. */
export const EXPORT_COLUMNS = [
  'Name',
  'Emails',
  'Phone',
  'Title',
  'Company',
  'Company domain',
  'Stage',
  'Owner',
  'Tags',
  'Timezone',
  'Last interaction',
] as const;

export async function exportContacts(db: Db, ctx: CallerContext): Promise<ExportedContact[]> {
  return (await db.call<{ items: ExportedContact[] }>('contacts_export', ctx, {})).items;
}

/**
 * Contacts as CSV rows: the fields, then one column per custom key (sorted),
 * then the dates and ids an import leaves out.
 *   contactsCsv([{ name: '田中太郎', emails: ['taro@acme.co.jp'], ... }])
 *     = '\uFEFFName,Emails,...,Created at,ID\r\n田中太郎,taro@acme.co.jp,...\r\n'
 */
export function contactsCsv(items: ExportedContact[]): string {
  const keys = [...new Set(items.flatMap((c) => Object.keys(c.custom ?? {})))].sort();
  const rows: string[][] = [[...EXPORT_COLUMNS, ...keys.map((k) => `custom.${k}`), 'Created at', 'ID']];
  for (const c of items) {
    rows.push([
      c.name,
      c.emails.join('; '),
      c.phone ?? '',
      c.title ?? '',
      c.company?.name ?? '',
      c.company?.domain ?? '',
      c.stage,
      c.owner ?? '',
      joinTags(c.tags),
      c.timezone ?? '',
      c.lastInteractionAt ?? '',
      ...keys.map((k) => (c.custom[k] === null || c.custom[k] === undefined ? '' : String(c.custom[k]))),
      c.createdAt,
      c.id,
    ]);
  }
  return toCsv(rows, { bom: true });
}

/** The body and headers of an export in either format. */
export function renderExport(items: ExportedContact[], format: ExportFormat, today = new Date()): { body: string; contentType: string; fileName: string } {
  const stamp = today.toISOString().slice(0, 10);
  if (format === 'json') {
    return {
      body: JSON.stringify({ count: items.length, items }),
      contentType: 'application/json; charset=utf-8',
      fileName: `rapport-contacts-${stamp}.json`,
    };
  }
  return { body: contactsCsv(items), contentType: 'text/csv; charset=utf-8', fileName: `rapport-contacts-${stamp}.csv` };
}
