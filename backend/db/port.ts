/**
 * The one door to the data. Every request is one call to one SQL function in
 * the `api` schema; each adapter (PGlite, node-postgres, supabase-js) returns
 * the function's JSON unchanged, and turns database errors into DbError.
 */
export type DbKind = 'pglite' | 'postgres' | 'supabase';

/** Who is calling, as the api.* functions expect it (see the api_common migration). */
export interface CallerContext {
  workspaceId: string;
  memberId: string | null;
  source: 'api' | 'gmail' | 'slack' | 'scheduler' | 'cli' | 'web';
  now: string;
}

export interface Db {
  readonly kind: DbKind;
  /** api.<fn>(ctx, args): the functions that act for a caller. */
  call<T = unknown>(fn: string, ctx: CallerContext, args: object): Promise<T>;
  /**
   * api.<fn>(ctx, args) as the database wrote its JSON, for a route that passes
   * it on unchanged: no parse and stringify of a large answer in Node.
   */
  callJson(fn: string, ctx: CallerContext, args: object): Promise<string>;
  /** api.<fn>(ctx, args) for a function that answers {items, nextCursor}: the items as JSON text, the cursor parsed. */
  callPage(fn: string, ctx: CallerContext, args: object): Promise<{ itemsJson: string; nextCursor: unknown }>;
  /** api.<fn>(args): the functions that run before a caller is known (auth, health). */
  callAnonymous<T = unknown>(fn: string, args: object): Promise<T>;
  /**
   * Calls under way or waiting, where every call shares one connection
   * (PGlite): long work in parts (an import) lets them finish between its
   * parts. Absent where requests have connections of their own.
   */
  inFlight?(): number;
  close(): Promise<void>;
}

/**
 * A failure the SQL raised on purpose (SQLSTATE RPxxx: status = xxx, message =
 * catalogue key, detail = JSON parameters), or one the database raised itself.
 */
export class DbError extends Error {
  constructor(
    readonly status: number,
    readonly key: string,
    readonly details: Record<string, unknown>,
    readonly sqlstate?: string,
  ) {
    super(key);
    this.name = 'DbError';
  }
}

/** The database could not be reached or answered with a server-side fault. */
export class DbUnavailableError extends Error {
  constructor(override readonly cause: unknown) {
    super('database unavailable');
    this.name = 'DbUnavailableError';
  }
}

const FN_NAME = /^[a-z][a-z0-9_]{0,62}$/;

/**
 * callPage's statement: the page's items as JSON text, its cursor as JSON.
 *   pageSql('contact_timeline') = "select (t.r -> 'items')::text as items, t.r -> 'nextCursor' as cursor from api.contact_timeline($1::jsonb, $2::jsonb) as t(r)"
 */
export function pageSql(fn: string): string {
  return `select (t.r -> 'items')::text as items, t.r -> 'nextCursor' as cursor from api.${assertFunctionName(fn)}($1::jsonb, $2::jsonb) as t(r)`;
}

/** Function names come from our own code, never from a request; checked anyway. */
export function assertFunctionName(fn: string): string {
  if (!FN_NAME.test(fn)) throw new Error(`not an api function name: ${fn}`);
  return fn;
}

/**
 * Maps a driver's error fields to DbError.
 *   { code: 'RP404', message: 'contact_not_found', detail: '{"id":"..."}' } -> DbError(404, 'contact_not_found', {id})
 */
export function toDbError(e: { code?: string; message?: string; detail?: string | null; details?: string | null }): Error {
  const code = e.code ?? '';
  const detailText = e.detail ?? e.details ?? '';
  if (/^RP\d{3}$/.test(code)) {
    let details: Record<string, unknown> = {};
    try {
      const parsed = detailText ? JSON.parse(detailText) : {};
      if (parsed && typeof parsed === 'object') details = parsed as Record<string, unknown>;
    } catch {
      details = {};
    }
    return new DbError(Number(code.slice(2)), e.message ?? 'error', details, code);
  }
  switch (code) {
    case '23505':
      return new DbError(409, 'conflict', {}, code);
    case '23503':
      return new DbError(404, 'not_found', {}, code);
    case '23514':
      return new DbError(400, 'invalid_value', {}, code);
    case '40001':
    case '40P01':
    case '57P01':
    case '57P02':
    case '57P03':
    case '53300':
    case '08000':
    case '08003':
    case '08006':
      return new DbUnavailableError(e);
    default:
      // class 22, data exception: a value from the request the database could
      // not take (a time zone displacement out of range, a malformed number,
      // text too long...); the caller's mistake, never a 500
      if (/^22[0-9A-Z]{3}$/.test(code)) return new DbError(400, 'invalid_value', {}, code);
      return e instanceof Error ? e : new Error(e.message ?? 'database error');
  }
}
