import { createClient } from '@supabase/supabase-js';
import WebSocket from 'ws';
import { type CallerContext, type Db, DbUnavailableError, assertFunctionName, toDbError } from './port.js';

/**
 * A Supabase project, through PostgREST's RPC: the same api.* functions, so the
 * same JSON. The `api` schema must be exposed in the project's API settings
 * (README). The service-role key stays on the server.
 */
export function supabaseDb(url: string, serviceRoleKey: string, opts: { fetch?: typeof fetch } = {}): Db {
  const client = createClient(url, serviceRoleKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    db: { schema: 'api' },
    // Node 20 has no global WebSocket; supabase-js refuses to start without one
    // even though Rapport never uses Realtime.
    realtime: { transport: WebSocket as never },
    global: opts.fetch ? { fetch: opts.fetch } : {},
  });
  async function rpc<T>(fn: string, params: Record<string, unknown>): Promise<T> {
    let res;
    try {
      res = await client.rpc(assertFunctionName(fn), params);
    } catch (e) {
      throw new DbUnavailableError(e);
    }
    if (res.error) {
      if (!res.error.code || (res.status >= 500 && !/^RP\d{3}$/.test(res.error.code))) {
        throw new DbUnavailableError(res.error);
      }
      throw toDbError({ code: res.error.code, message: res.error.message, details: res.error.details });
    }
    return res.data as T;
  }
  return {
    kind: 'supabase',
    call<T>(fn: string, ctx: CallerContext, args: object) {
      return rpc<T>(fn, { ctx, args });
    },
    // PostgREST answers parsed JSON, so these two only keep the shape
    async callJson(fn: string, ctx: CallerContext, args: object) {
      return JSON.stringify(await rpc<unknown>(fn, { ctx, args }));
    },
    async callPage(fn: string, ctx: CallerContext, args: object) {
      const page = await rpc<{ items: unknown; nextCursor: unknown }>(fn, { ctx, args });
      return { itemsJson: JSON.stringify(page.items), nextCursor: page.nextCursor };
    },
    callAnonymous<T>(fn: string, args: object) {
      return rpc<T>(fn, { args });
    },
    async close() {},
  };
}
