import { describe, expect, it } from 'vitest';
import { checkIdToken } from '../../backend/web/signin-slack.js';

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const NOW = 1_800_000_000;
const GOOD = {
  iss: 'https://slack.com',
  aud: '1.2',
  exp: NOW + 60,
  nonce: 'n1',
  sub: 'U0123ABC',
  email: 'ann@example.com',
  email_verified: true,
  'https://slack.com/team_id': 'T0123ABC',
};
const token = (claims: object) => `${b64({ alg: 'RS256' })}.${b64(claims)}.sig`;
const check = (claims: object) => checkIdToken(token(claims), { clientId: '1.2', nonce: 'n1', now: NOW });

/** Slack's ID token, as the callback checks it: for this app, from Slack, unexpired, this browser's nonce, a user and a team. */
describe('checkIdToken', () => {
  it('takes a token made for this sign-in', () => {
    expect(check(GOOD)).toMatchObject({ sub: 'U0123ABC', email: 'ann@example.com' });
    expect(check({ ...GOOD, aud: ['other', '1.2'] })).toMatchObject({ sub: 'U0123ABC' });
  });
  it.each([
    ['another issuer', { ...GOOD, iss: 'https://evil.example' }, 'issuer'],
    ['another app', { ...GOOD, aud: '9.9' }, 'audience'],
    ['an expired token', { ...GOOD, exp: NOW - 1 }, 'expired'],
    ['no expiry', { ...GOOD, exp: undefined }, 'expired'],
    ['another nonce', { ...GOOD, nonce: 'n2' }, 'nonce'],
    ['no nonce', { ...GOOD, nonce: undefined }, 'nonce'],
    ['no team', { ...GOOD, 'https://slack.com/team_id': undefined }, 'subject'],
    ['a subject that is no Slack user', { ...GOOD, sub: '<script>' }, 'subject'],
  ])('refuses %s', (_what, claims, reason) => {
    expect(check(claims)).toBe(reason);
  });
  it('refuses no token and a token that is not JSON', () => {
    expect(checkIdToken(undefined, { clientId: '1.2', nonce: 'n1' })).toBe('no_id_token');
    expect(checkIdToken('a.!!!.c', { clientId: '1.2', nonce: 'n1' })).toBe('bad_id_token');
  });
});
