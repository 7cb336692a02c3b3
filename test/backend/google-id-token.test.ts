import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { createGoogleIdTokenVerifier, looksLikeJwt } from '../../backend/auth/google-id-token.js';
import { createTestGoogleIssuer, TEST_CERTS_URL, TEST_CLIENT_ID } from '../support/google-tokens.js';

const issuer = createTestGoogleIssuer();
const server = setupServer(issuer.certsHandler());

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const newVerifier = (clientIds: string[] = [TEST_CLIENT_ID], certsUrl?: string) =>
  createGoogleIdTokenVerifier({ clientIds, ...(certsUrl ? { certsUrl } : {}) });

const now = () => Math.floor(Date.now() / 1000);

describe('createGoogleIdTokenVerifier', () => {
  it('accepts a good token and returns the identity', async () => {
    const token = issuer.sign({ name: 'Rep One', hd: 'example.com' });
    const result = await newVerifier().verify(token);
    expect(result).toEqual({
      ok: true,
      identity: { sub: '1000000000001', email: 'rep@example.com', emailVerified: true, name: 'Rep One', hostedDomain: 'example.com' },
    });
  });

  it('omits optional fields that are absent', async () => {
    const result = await newVerifier().verify(issuer.sign());
    expect(result).toEqual({ ok: true, identity: { sub: '1000000000001', email: 'rep@example.com', emailVerified: true } });
  });

  it('rejects a wrong audience', async () => {
    const result = await newVerifier().verify(issuer.sign({ aud: 'someone-else.apps.googleusercontent.com' }));
    expect(result).toEqual({ ok: false, reason: 'audience' });
  });

  it('accepts any of several client ids', async () => {
    const verifier = newVerifier(['first.apps.googleusercontent.com', 'second.apps.googleusercontent.com']);
    expect(await verifier.verify(issuer.sign({ aud: 'first.apps.googleusercontent.com' }))).toMatchObject({ ok: true });
    expect(await verifier.verify(issuer.sign({ aud: 'second.apps.googleusercontent.com' }))).toMatchObject({ ok: true });
    expect(await verifier.verify(issuer.sign({ aud: TEST_CLIENT_ID }))).toEqual({ ok: false, reason: 'audience' });
  });

  it('rejects everything with reason audience when no client id is configured', async () => {
    const before = issuer.certsRequests;
    const verifier = newVerifier([]);
    expect(await verifier.verify(issuer.sign())).toEqual({ ok: false, reason: 'audience' });
    expect(issuer.certsRequests).toBe(before);
  });

  it('rejects a wrong issuer, including the library default universe domain', async () => {
    const verifier = newVerifier();
    expect(await verifier.verify(issuer.sign({ iss: 'https://evil.example.com' }))).toEqual({ ok: false, reason: 'issuer' });
    expect(await verifier.verify(issuer.sign({ iss: 'googleapis.com' }))).toEqual({ ok: false, reason: 'issuer' });
  });

  it('accepts both Google issuer spellings', async () => {
    const verifier = newVerifier();
    expect(await verifier.verify(issuer.sign({ iss: 'accounts.google.com' }))).toMatchObject({ ok: true });
    expect(await verifier.verify(issuer.sign({ iss: 'https://accounts.google.com' }))).toMatchObject({ ok: true });
  });

  it('rejects an expired token', async () => {
    const token = issuer.sign({ iat: now() - 3 * 3600, exp: now() - 2 * 3600 });
    expect(await newVerifier().verify(token)).toEqual({ ok: false, reason: 'expired' });
  });

  it('rejects a token signed by another key under the same kid', async () => {
    const token = issuer.sign({}, { key: 'other' });
    expect(await newVerifier().verify(token)).toEqual({ ok: false, reason: 'signature' });
  });

  it('rejects a token whose kid is not published', async () => {
    const token = issuer.sign({}, { kid: 'not-a-published-kid' });
    expect(await newVerifier().verify(token)).toEqual({ ok: false, reason: 'unknown_key' });
  });

  it('rejects malformed tokens without fetching certificates', async () => {
    const before = issuer.certsRequests;
    const verifier = newVerifier();
    for (const token of ['abc', 'a.b.c', '', 'a.b', 'a.b.c.d', `${issuer.sign().slice(0, -1)}=`]) {
      expect(await verifier.verify(token)).toEqual({ ok: false, reason: 'malformed' });
    }
    expect(issuer.certsRequests).toBe(before);
  });

  it('requires email_verified === true', async () => {
    const verifier = newVerifier();
    expect(await verifier.verify(issuer.sign({ email_verified: false }))).toEqual({ ok: false, reason: 'email_unverified' });
    expect(await verifier.verify(issuer.sign({ email_verified: undefined }))).toEqual({ ok: false, reason: 'email_unverified' });
    expect(await verifier.verify(issuer.sign({ email: undefined }))).toEqual({ ok: false, reason: 'email_unverified' });
  });

  it('answers unavailable when the certificate endpoint fails, and recovers afterwards', async () => {
    server.use(http.get(TEST_CERTS_URL, () => new HttpResponse('oops', { status: 500 })));
    const verifier = newVerifier();
    expect(await verifier.verify(issuer.sign())).toEqual({ ok: false, reason: 'unavailable' });

    server.use(http.get(TEST_CERTS_URL, () => HttpResponse.error()));
    expect(await verifier.verify(issuer.sign())).toEqual({ ok: false, reason: 'unavailable' });

    server.resetHandlers(); // back to the initial handler: failures were not cached
    expect(await verifier.verify(issuer.sign())).toMatchObject({ ok: true });
  });

  it('uses a custom certsUrl when given', async () => {
    const customUrl = 'https://certs.test/keys';
    // The default URL now fails: success proves the custom URL was used.
    server.use(
      http.get(TEST_CERTS_URL, () => new HttpResponse(null, { status: 500 })),
      issuer.certsHandler({ url: customUrl }),
    );
    const before = issuer.certsRequests;
    const result = await newVerifier([TEST_CLIENT_ID], customUrl).verify(issuer.sign());
    expect(result).toMatchObject({ ok: true });
    expect(issuer.certsRequests).toBe(before + 1);
  });

  it('fetches the certificates once for several verifications (cache-control max-age)', async () => {
    const before = issuer.certsRequests;
    const verifier = newVerifier();
    for (let i = 0; i < 5; i++) {
      expect(await verifier.verify(issuer.sign({ sub: `10000000000${i}` }))).toMatchObject({ ok: true });
    }
    expect(await verifier.verify(issuer.sign({ aud: 'nope' }))).toEqual({ ok: false, reason: 'audience' });
    expect(issuer.certsRequests).toBe(before + 1);
  });

  it('never returns the token in a failure', async () => {
    const token = issuer.sign({}, { key: 'other' });
    const result = await newVerifier().verify(token);
    expect(result).toEqual({ ok: false, reason: 'signature' });
    expect(JSON.stringify(result)).not.toContain(token.split('.')[2]);
  });
});

describe('looksLikeJwt', () => {
  it('recognises JWT shapes', () => {
    expect(looksLikeJwt(issuer.sign())).toBe(true);
    expect(looksLikeJwt('eyJhbGciOiJSUzI1NiJ9.e30.c2ln')).toBe(true);
  });

  it('rejects other strings', () => {
    for (const token of ['abc', 'a.b.c', '', '..', 'eyJhbGciOiJSUzI1NiJ9.e30.', 'e30.e30.c2ln', 'rk_live_abcdef', 'eyJhbGciOiJSUzI1NiJ9.e30.c2ln.x']) {
      expect(looksLikeJwt(token)).toBe(false);
    }
  });
});
