/**
 * Bulk loading into PostgreSQL: the indexes and foreign keys of some tables as
 * statements to drop and re-create them, and a queue that runs statements on
 * several connections at once.
 */
import type { SqlRunner } from '../backend/db/migrate.js';

export interface Ddl {
  drop: string;
  create: string;
  table: string;
}

/**
 * The indexes, unique/primary-key constraints and foreign keys of the bulk
 * tables (and the foreign keys pointing at them), as statements to drop them
 * and to create them again exactly as the migrations made them.
 */
export async function bulkDdl(sql: SqlRunner, tables: string[]): Promise<{ keys: Ddl[]; indexes: Ddl[]; foreign: Ddl[] }> {
  const list = `array[${tables.map((t) => `'crm.${t}'::regclass`).join(', ')}]`;
  const keys = await sql.query<Ddl>(`
    select format('alter table %s drop constraint %I', conrelid::regclass, conname) as drop,
           format('alter table %s add constraint %I %s', conrelid::regclass, conname, pg_get_constraintdef(oid)) as create,
           conrelid::regclass::text as table
      from pg_constraint where contype in ('p', 'u') and conrelid = any (${list}) order by conname`);
  const indexes = await sql.query<Ddl>(`
    select format('drop index %s', i.indexrelid::regclass) as drop, pg_get_indexdef(i.indexrelid) as create,
           i.indrelid::regclass::text as table
      from pg_index i
     where i.indrelid = any (${list})
       and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid and c.conrelid = i.indrelid and c.contype in ('p', 'u', 'x'))
     order by 1`);
  const foreign = await sql.query<Ddl>(`
    select format('alter table %s drop constraint %I', conrelid::regclass, conname) as drop,
           format('alter table %s add constraint %I %s not valid', conrelid::regclass, conname, pg_get_constraintdef(oid)) as create,
           format('alter table %s validate constraint %I', conrelid::regclass, conname) as table
      from pg_constraint where contype = 'f' and (conrelid = any (${list}) or confrelid = any (${list})) order by conname`);
  return { keys, indexes, foreign };
}

/** Runs the statements on all runners at once, each taking the next one when it is free; returns the slowest. */
export async function runQueue(runners: SqlRunner[], statements: string[]): Promise<string> {
  const queue = [...statements];
  const took: { s: string; ms: number }[] = [];
  await Promise.all(
    runners.map(async (r) => {
      for (let s = queue.shift(); s !== undefined; s = queue.shift()) {
        const t = performance.now();
        await r.exec(s);
        took.push({ s, ms: performance.now() - t });
      }
    }),
  );
  const name = (s: string) => /(?:index|constraint) (\S+)|vacuum \(analyze\) (\S+)/.exec(s)?.slice(1).find(Boolean) ?? s.slice(0, 40);
  return took
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 4)
    .map((t) => `${name(t.s)} ${(t.ms / 1000).toFixed(1)} s`)
    .join(', ');
}
