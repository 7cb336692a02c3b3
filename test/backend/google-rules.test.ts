import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseRetryAfter, verdict } from '../../backend/google/errors.js';
import { importQuery } from '../../backend/google/gmail.js';
import { classify } from '../../backend/google/gmail-message.js';
import { backoffMs } from '../../backend/google/retry.js';
import { syntheticMessageId, threadRoot } from '../../backend/mail-text.js';
import { parseQuery } from '../support/google-stand-in-mailbox.js';

/** The pure rules of Gmail sync: which messages are skipped, which failures are retried, how long to wait. */
describe('which messages are captured', () => {
  it.each([
    ['a plain message', ['INBOX'], {}, 'keep'],
    ['a sent message', ['SENT'], {}, 'keep'],
    ['List-Unsubscribe', ['INBOX'], { 'list-unsubscribe': ['<mailto:u@x.example>'] }, 'bulk'],
    ['List-Id', ['INBOX'], { 'list-id': ['<news.acme.example>'] }, 'bulk'],
    ['Precedence: bulk', ['INBOX'], { precedence: ['bulk'] }, 'bulk'],
    ['Precedence: List (any case)', ['INBOX'], { precedence: [' List '] }, 'bulk'],
    ['Precedence: junk', ['INBOX'], { precedence: ['junk'] }, 'bulk'],
    ['Precedence: first-class', ['INBOX'], { precedence: ['first-class'] }, 'keep'],
    ['Auto-Submitted: auto-replied', ['INBOX'], { 'auto-submitted': ['auto-replied'] }, 'bulk'],
    ['Auto-Submitted: auto-generated', ['INBOX'], { 'auto-submitted': ['auto-generated'] }, 'bulk'],
    ['Auto-Submitted: no', ['INBOX'], { 'auto-submitted': ['no'] }, 'keep'],
    ['Promotions', ['INBOX', 'CATEGORY_PROMOTIONS'], {}, 'category'],
    ['Social', ['CATEGORY_SOCIAL'], {}, 'category'],
    ['Updates', ['CATEGORY_UPDATES'], {}, 'category'],
    ['Forums', ['CATEGORY_FORUMS'], {}, 'category'],
    ['Primary', ['INBOX', 'CATEGORY_PERSONAL'], {}, 'keep'],
    ['a list in a tab counts as bulk', ['CATEGORY_UPDATES'], { 'list-id': ['<x>'] }, 'bulk'],
    ['spam', ['SPAM'], { 'list-id': ['<x>'] }, 'drop'],
    ['trash', ['TRASH', 'CATEGORY_SOCIAL'], {}, 'drop'],
    ['chat', ['CHAT'], {}, 'drop'],
    ['a draft', ['DRAFT'], {}, 'drop'],
  ] as const)('%s', (_, labels, headers, expected) => {
    expect(classify(labels, headers)).toBe(expected);
  });
});

describe("Google's failures", () => {
  const reasons = (reason: string) => ({ error: { code: 403, message: 'm', errors: [{ domain: 'global', reason }] } });
  it.each([
    ['429', { status: 429, retryAfter: '2' }, { kind: 'retry', retryAfterSeconds: 2 }],
    ['500', { status: 500 }, { kind: 'retry' }],
    ['503', { status: 503 }, { kind: 'retry' }],
    ['403 rateLimitExceeded', { status: 403, data: reasons('rateLimitExceeded') }, { kind: 'retry' }],
    ['403 userRateLimitExceeded', { status: 403, data: reasons('userRateLimitExceeded') }, { kind: 'retry' }],
    ['a network error', { code: 'ECONNRESET' }, { kind: 'retry', what: 'network error ECONNRESET' }],
    [
      'invalid_grant',
      { status: 400, data: { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' } },
      { kind: 'lost', reason: 'invalid_grant' },
    ],
    ['unauthorized_client (delegation refused)', { status: 401, data: { error: 'unauthorized_client' } }, { kind: 'lost', reason: 'domain_policy' }],
    ['403 insufficientPermissions', { status: 403, data: reasons('insufficientPermissions') }, { kind: 'lost', reason: 'insufficient_scope' }],
    [
      '403 metadata scope asked for a full message',
      { status: 403, data: { error: { code: 403, message: "Metadata scope doesn't allow format FULL", errors: [{ reason: 'forbidden' }] } } },
      { kind: 'lost', reason: 'insufficient_scope' },
    ],
    ['403 domainPolicy', { status: 403, data: reasons('domainPolicy') }, { kind: 'lost', reason: 'domain_policy' }],
    [
      '403 mail service not enabled',
      { status: 403, data: { error: { code: 403, message: 'Mail service not enabled', errors: [{ reason: 'failedPrecondition' }] } } },
      { kind: 'lost', reason: 'domain_policy' },
    ],
    ['a timeout', { code: 'TimeoutError' }, { kind: 'retry', what: 'network error TimeoutError' }],
    ['an error of ours, before any request', {}, { kind: 'fail' }],
    ['401', { status: 401, data: reasons('authError') }, { kind: 'unauthorized' }],
    ['404', { status: 404 }, { kind: 'not_found' }],
    [
      '400',
      { status: 400, data: { error: { code: 400, message: 'Invalid format', errors: [{ reason: 'invalidArgument' }] } } },
      { kind: 'fail', what: 'HTTP 400 invalidArgument: Invalid format' },
    ],
  ] as const)('%s', (_, failed, expected) => {
    expect(verdict(failed)).toMatchObject(expected);
  });

  it('reads Retry-After in seconds or as an HTTP date', () => {
    const now = Date.parse('Wed, 21 Oct 2026 07:27:50 GMT');
    expect(parseRetryAfter('2', now)).toBe(2);
    expect(parseRetryAfter('Wed, 21 Oct 2026 07:28:00 GMT', now)).toBe(10);
    expect(parseRetryAfter('Wed, 21 Oct 2026 07:27:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('backs off from 1 s, doubling, at least Retry-After, with up to a quarter of jitter', () => {
    expect([1, 2, 3, 4].map((n) => backoffMs(n, 1000, undefined, 0))).toEqual([1000, 2000, 4000, 8000]);
    expect(backoffMs(1, 1000, 2, 0)).toBe(2000);
    expect(backoffMs(3, 1000, 2, 0)).toBe(4000);
    expect(backoffMs(1, 1000, undefined, 0.999)).toBeLessThanOrEqual(1250);
  });
});

describe('ids and searches', () => {
  it('the import searches mail after importAfter, less chats, spam and trash; the stand-in reads the same', () => {
    expect(importQuery('2026-09-01T00:00:00Z')).toBe('after:1788220800 -in:chats -in:spam -in:trash');
    expect(importQuery(undefined)).toBe('-in:chats -in:spam -in:trash');
    expect(parseQuery(importQuery('2026-09-01T00:00:00Z'))).toEqual({ after: 1788220800000, excluded: ['CHAT', 'SPAM', 'TRASH'] });
    expect(parseQuery('from:jane')).toMatch(/does not understand/);
  });

  it('a message without a Message-ID is keyed by its Gmail id; a thread by its first reference', () => {
    expect(syntheticMessageId('18c2f0a1b2c3d4e5')).toBe('<gmail-18c2f0a1b2c3d4e5@mail.gmail.com>');
    expect(threadRoot('<a@x> <b@x>', '<b@x>')).toBe('<a@x>');
    expect(threadRoot('', '<b@x>')).toBe('<b@x>');
    expect(threadRoot(undefined, undefined)).toBeUndefined();
  });
});

describe('import cost', () => {
  it('loading backend/google does not load googleapis (1.5 s and more): a reader loads it when made', () => {
    const script = [
      "await import('./backend/google/gmail.ts');",
      "await import('./backend/google/oauth.ts');",
      "const { createRequire } = await import('node:module');",
      "console.log(Object.keys(createRequire(import.meta.url).cache).filter((k) => k.includes('/node_modules/googleapis/')).length);",
    ].join(' ');
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: new URL('../..', import.meta.url),
      encoding: 'utf8',
    });
    expect(out.trim()).toBe('0');
  });
});
