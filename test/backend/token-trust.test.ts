import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../backend/app.js';
import { openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';
import { caller } from '../support/http.js';
import { setupNetwork } from '../support/network.js';

/**
 * RAPPORT_TOKEN_TRUST_MS: a copy trusts an API token it checked for that long
 * (one database call a request instead of two), forgets at once what a change
 * to tokens or members made in this copy, and never keeps a refusal.
 */
describe('a checked API token, trusted for a moment', () => {
  let t: TestDb;
  let network: ReturnType<typeof setupNetwork>;
  let app: ReturnType<typeof createApp>;
  let a: TestWorkspace;

  beforeAll(async () => {
    t = await openTestDb('pglite');
    network = setupNetwork(...t.handlers);
    app = createApp({ db: t.db, tokenTrustMs: 60_000 });
    a = await makeWorkspace(t.sql, t.db);
  });
  afterAll(async () => {
    network?.close();
    await t?.close();
  });

  it('is trusted within the window when revoked behind this copy’s back, and refused once this copy changes tokens or members', async () => {
    expect((await caller(app, a.rep.token)('GET', '/api/me')).status).toBe(200);
    await t.sql.query('update crm.api_tokens set revoked_at = now() where member_id = $1', [a.rep.id]);
    // another copy (or the CLI) revoked it: this copy learns it when its trust runs out
    expect((await caller(app, a.rep.token)('GET', '/api/me')).status).toBe(200);
    // a change to members through this copy forgets every trusted token
    expect((await caller(app, a.admin.token)('PATCH', `/api/members/${a.rep2.id}`, { name: 'Rae Renamed' })).status).toBe(200);
    expect((await caller(app, a.rep.token)('GET', '/api/me')).status).toBe(401);
    // a refusal is never kept: a token that works again is accepted at once
    await t.sql.query('update crm.api_tokens set revoked_at = null where member_id = $1', [a.rep.id]);
    expect((await caller(app, a.rep.token)('GET', '/api/me')).status).toBe(200);
  });

  it('a member deactivated through this copy is refused at once', async () => {
    expect((await caller(app, a.rep2.token)('GET', '/api/me')).status).toBe(200);
    const off = await caller(app, a.admin.token)('POST', `/api/members/${a.rep2.id}/deactivate`, { reassignTo: a.manager.id });
    expect(off.status).toBe(200);
    expect((await caller(app, a.rep2.token)('GET', '/api/me')).status).toBe(401);
  });
});
