import type { SqlRunner } from '../../backend/db/migrate.js';

/**
 * A fingerprint of every row of every crm table: equal before and after means
 * nothing was written. Used to prove a rejected request changed nothing.
 */
export async function tableDigest(sql: SqlRunner): Promise<string> {
  const tables = await sql.query<{ t: string }>(
    `select table_name as t from information_schema.tables where table_schema = 'crm' and table_type = 'BASE TABLE' order by 1`,
  );
  const parts: string[] = [];
  for (const { t } of tables) {
    const [row] = await sql.query<{ d: string | null; n: string | number }>(
      `select md5(coalesce(string_agg(md5(x::text), ',' order by md5(x::text)), '')) as d, count(*) as n from crm.${t} x`,
    );
    parts.push(`${t}:${row!.n}:${row!.d}`);
  }
  return parts.join('\n');
}
