import type { Hono } from 'hono';
import { contract } from './contract.js';

export interface Answer<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/**
 * A caller of an app in-process, with a credential:
 *   const as = caller(app, token); await as('POST', '/api/contacts', { name: 'Jane' })
 * Every answer is held to the API contract (contract.ts): a status, field or
 * type the document does not give fails the test that received it.
 */
export function caller(app: Hono<any>, token?: string, extraHeaders: Record<string, string> = {}) {
  return async function request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer<T>> {
    const h: Record<string, string> = { ...extraHeaders, ...headers };
    if (token) h.authorization ??= `Bearer ${token}`;
    let payload: string | undefined;
    if (body !== undefined) {
      h['content-type'] ??= 'application/json';
      payload = typeof body === 'string' ? body : JSON.stringify(body);
    }
    const res = await app.request(path, { method, headers: h, ...(payload !== undefined ? { body: payload } : {}) });
    const text = await res.text();
    contract().assert(method, path, {
      status: res.status,
      contentType: res.headers.get('content-type') ?? '',
      text,
      allow: res.headers.get('allow'),
    });
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  };
}
