import type { Context, TypedResponse } from 'hono';
import type { JSONParsed } from 'hono/utils/types';
import type * as z from 'zod';
import { ApiError } from './errors.js';
import { describeIssues, type Target } from './issues.js';
import type { CallerContext } from './db/port.js';
import type { AppEnv } from './types.js';

/**
 * What every declared route does with its validated input (OpenAPIHono's
 * defaultHook): Rapport's 400 naming every field that is wrong (and every
 * unknown one), with zod's explanation per field in details; and no NUL
 * character anywhere in what passed.
 */
export function validationHook(result: { target: string } & ({ success: true; data: unknown } | { success: false; error: { issues: z.core.$ZodIssue[] } })) {
  const target = result.target as Target;
  if (result.success) return refuseNul(result.data, target);
  throw invalidRequest(result.error, target);
}

/** A zod error as the 400 that names every wrong field, and each unknown one by its own name. */
export function invalidRequest(error: { issues: z.core.$ZodIssue[] }, target: Target) {
  const { fields, details } = describeIssues(error, target);
  return new ApiError(400, 'invalid_request', { fields }, details);
}

/**
 * PostgreSQL can store no NUL character (not in text, not in jsonb): a NUL
 * anywhere in the input, in a field whose schema did not forbid it itself, is
 * a 400 naming the field, not a 500 from the database.
 *   refuseNul({ eventId: 'a\u0000' }, 'json') throws naming eventId
 */
function refuseNul(data: unknown, target: Target) {
  const at: string[] = [];
  const walk = (v: unknown, path: string) => {
    if (typeof v === 'string') {
      if (v.includes('\u0000')) at.push(path || '(body)');
    } else if (Array.isArray(v))
      v.forEach((x, i) => {
        walk(x, path ? `${path}.${i}` : String(i));
      });
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        const p = path ? `${path}.${k}` : k;
        if (k.includes('\u0000')) at.push(p);
        walk(x, p);
      }
    }
  };
  walk(data, '');
  if (!at.length) return;
  const issues = at.map((path) => ({ path, code: 'custom', message: 'must not contain NUL characters' }));
  throw new ApiError(400, 'invalid_request', { fields: at.join(', ') }, { target, issues });
}

/** The ctx every api.* function takes, from the authenticated principal. */
export function callerOf(c: Context<AppEnv>): CallerContext {
  const p = c.get('principal');
  const now = (c.get('deps').clock ?? (() => new Date()))();
  return { workspaceId: p.workspaceId, memberId: p.memberId, source: p.source, now: now.toISOString() };
}

/** One request, one function call. */
export function call<T>(c: Context<AppEnv>, fn: string, args: object): Promise<T> {
  return c.get('deps').db.call<T>(fn, callerOf(c), args);
}

const JSON_TYPE = { 'content-type': 'application/json' };

/**
 * One request, one function call, its JSON answered as the database wrote it:
 * a Gmail context is ~45 KB, which the server need not parse and write again.
 * Typed as the route's declared answer, which the contract tests hold it to.
 */
export async function answerJson<T>(c: Context<AppEnv>, fn: string, args: object): Promise<Response & TypedResponse<JSONParsed<T>, 200, 'json'>> {
  const res: Response = c.body(await c.get('deps').db.callJson(fn, callerOf(c), args), 200, JSON_TYPE);
  return res as Response & TypedResponse<JSONParsed<T>, 200, 'json'>;
}

/** The same for a page: {items, nextCursor} with the items passed through and the cursor made opaque. */
export async function answerPage<T extends { items: unknown[]; nextCursor: string | null }>(
  c: Context<AppEnv>,
  fn: string,
  args: object,
): Promise<Response & TypedResponse<JSONParsed<T>, 200, 'json'>> {
  const page = await c.get('deps').db.callPage(fn, callerOf(c), args);
  const res: Response = c.body(`{"items":${page.itemsJson},"nextCursor":${JSON.stringify(encodeCursor(page.nextCursor))}}`, 200, JSON_TYPE);
  return res as Response & TypedResponse<JSONParsed<T>, 200, 'json'>;
}

/**
 * Opaque cursors: base64url of the JSON position the SQL returned.
 *   encodeCursor({ k: 'tanaka', id: 'c1' }) = 'eyJrIjoidGFuYWthIiwiaWQiOiJjMSJ9'
 */
export function encodeCursor(pos: unknown): string | null {
  return pos ? Buffer.from(JSON.stringify(pos), 'utf8').toString('base64url') : null;
}

export function decodeCursor<T>(cursor: string | undefined, check: (v: unknown) => v is T): T | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (check(v)) return v;
  } catch {
    // fall through
  }
  throw new ApiError(400, 'invalid_cursor');
}
