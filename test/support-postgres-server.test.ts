import { existsSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresServer } from './support/postgres-server.js';

describe('startPostgres (throwaway real PostgreSQL server)', () => {
  let server: PostgresServer | undefined;

  afterAll(async () => {
    await server?.stop();
  });

  async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query<T>(sql)).rows;
    } finally {
      await client.end();
    }
  }

  it('starts, serves SQL, restarts and is removed on stop', async () => {
    server = await startPostgres();
    expect(server.host).toBe('127.0.0.1');
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`postgres://postgres@127.0.0.1:${server.port}/postgres`);
    expect(existsSync(path.join(server.dataDir, 'PG_VERSION'))).toBe(true);

    const [row] = await query<{ version: string }>(server.url, 'select version()');
    expect(row?.version).toMatch(/^PostgreSQL \d+/);

    const [settings] = await query<{ fsync: string; enc: string; max: string }>(
      server.url,
      "select current_setting('fsync') as fsync, current_setting('server_encoding') as enc, current_setting('max_connections') as max",
    );
    expect(settings).toEqual({ fsync: 'off', enc: 'UTF8', max: '200' });

    // Data survives a restart on the same port.
    await query(server.url, 'create table survives_restart (x int); insert into survives_restart values (42)');
    const client = new pg.Client({ connectionString: server.url });
    client.on('error', () => {}); // the restart terminates this connection
    await client.connect();

    await server.restart();

    await expect(client.query('select 1')).rejects.toThrow();
    await client.end().catch(() => {});
    const rows = await query<{ x: number }>(server.url, 'select x from survives_restart');
    expect(rows).toEqual([{ x: 42 }]);

    const dataDir = server.dataDir;
    await server.stop();
    expect(existsSync(dataDir)).toBe(false);
    expect(existsSync(path.dirname(dataDir))).toBe(false);
    await server.stop(); // idempotent
    await expect(server.restart()).rejects.toThrow(/stopped/);

    await expect(query(server.url, 'select 1')).rejects.toThrow();
    server = undefined;
  }, 30_000);

  it('runs two servers side by side on different ports', async () => {
    const [a, b] = await Promise.all([startPostgres(), startPostgres()]);
    try {
      expect(a.port).not.toBe(b.port);
      expect(a.dataDir).not.toBe(b.dataDir);
      const [ra] = await query<{ port: string }>(a.url, "select current_setting('port') as port");
      const [rb] = await query<{ port: string }>(b.url, "select current_setting('port') as port");
      expect(Number(ra?.port)).toBe(a.port);
      expect(Number(rb?.port)).toBe(b.port);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  }, 30_000);
});
