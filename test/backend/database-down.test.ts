import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../backend/app.js';
import { newApiToken } from '../../backend/auth/api-tokens.js';
import { postgresDb, postgresPool } from '../../backend/db/postgres.js';
import { caller } from '../support/http.js';

/** A port on loopback that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('when PostgreSQL is away', () => {
  let app: ReturnType<typeof createApp>;
  let db: ReturnType<typeof postgresDb>;
  beforeAll(async () => {
    db = postgresDb(postgresPool(`postgres://postgres@127.0.0.1:${await closedPort()}/postgres`, { max: 2 }));
    app = createApp({ db });
  });
  afterAll(async () => {
    await db.close();
  });

  it('answers 503 with Retry-After and a sentence, never a 500 or a hang', async () => {
    const started = Date.now();
    const health = await caller(app)('GET', '/healthz');
    expect(health.status).toBe(503);
    const res = await caller(app, newApiToken().token)('POST', '/api/contacts', { name: 'X' });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBeTruthy();
    expect(res.body.error).toMatchObject({ code: 'db_unavailable', message: expect.stringContaining('Nothing was saved') });
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
