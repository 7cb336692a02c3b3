import type { SqlRunner } from '../../backend/db/migrate.js';

/**
 * Written by authentication itself, before a request is judged: when a
 * credential or a person was last seen (at most once a minute), and when
 * their Slack profile was last read. A refused request is still a request
 * from them, so these may move; nothing else may.
 */
const PRESENCE = ['last_used_at', 'last_seen_at', 'profile_read_at'];

/**
 * A fingerprint of every row of every crm table (presence columns aside):
 * equal before and after means nothing was written. Used to prove a rejected
 * request changed nothing.
 */
export async function tableDigest(sql: SqlRunner): Promise<string> {
  const tables = await sql.query<{ t: string }>(
    `select table_name as t from information_schema.tables where table_schema = 'crm' and table_type = 'BASE TABLE' order by 1`,
  );
  const parts: string[] = [];
  for (const { t } of tables) {
    const [row] = await sql.query<{ d: string | null; n: string | number }>(
      `select md5(coalesce(string_agg(md5(r::text), ',' order by md5(r::text)), '')) as d, count(*) as n
       from crm.${t} x cross join lateral (select to_jsonb(x) - $1::text[] as r) j`,
      [PRESENCE],
    );
    parts.push(`${t}:${row!.n}:${row!.d}`);
  }
  return parts.join('\n');
}
