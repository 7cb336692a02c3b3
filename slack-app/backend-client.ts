import { hc } from 'hono/client';
import type { AppType, SlackServiceType } from '../backend/app.js';

/**
 * The Slack app reaches the backend only through Hono's typed client. `fetch`
 * is the network when the backend runs elsewhere, or the backend app itself
 * (app.request) when both run in one process, as `npm start` does.
 */
export interface BackendLink {
  baseUrl: string;
  serviceSecret: string;
  fetch: typeof fetch;
}

/** The member API with the service credential, acting for whoever `who` names (backend/auth/middleware.ts). */
function actingClient(link: BackendLink, workspaceId: string, who: Record<string, string>) {
  return hc<AppType>(`${link.baseUrl}/api`, {
    fetch: link.fetch,
    headers: { authorization: `Rapport-Service ${link.serviceSecret}`, 'x-rapport-workspace': workspaceId, ...who },
  });
}

/** Calls that act for one member of one workspace (the Slack user who acted). */
export function memberClient(link: BackendLink, workspaceId: string, slackUserId: string) {
  return actingClient(link, workspaceId, { 'x-rapport-slack-user': slackUserId, 'x-rapport-source': 'slack' });
}
export type MemberClient = ReturnType<typeof memberClient>;

/** The same calls for a member named by id: the digest scheduler knows members, not Slack users. */
export function scheduledMemberClient(link: BackendLink, workspaceId: string, memberId: string): MemberClient {
  return actingClient(link, workspaceId, { 'x-rapport-member-id': memberId, 'x-rapport-source': 'scheduler' });
}

/** The Slack app's own calls: who a team and a user are, and event de-duplication. */
export function serviceClient(link: BackendLink) {
  return hc<SlackServiceType>(`${link.baseUrl}/api/slack`, {
    fetch: link.fetch,
    headers: { authorization: `Rapport-Service ${link.serviceSecret}` },
  });
}
export type ServiceClient = ReturnType<typeof serviceClient>;

/** A backend answer that was not 2xx, carrying the backend's own (translated) message. */
export class BackendError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'BackendError';
  }
}

/** The answers of a typed call that are a success (2xx); the others throw a BackendError. */
type Success<R> = R extends { ok: true } ? R : never;

/**
 * The JSON of a response, typed as the route declares its success, or a
 * BackendError with the backend's message.
 *   await json(client.contacts.$get({ query: { q } }))
 */
// biome-ignore lint/suspicious/noExplicitAny: the constraint accepts every typed client response; the result type comes from Success<R>
export async function json<R extends { ok: boolean; status: number; json(): Promise<any> }>(
  pending: Promise<R> | R,
): Promise<Awaited<ReturnType<Success<R>['json']>>> {
  const res = await pending;
  if (res.ok) return res.json();
  const body = (await res.json().catch(() => ({}))) as { error?: { code?: string; message?: string; details?: unknown } };
  throw new BackendError(res.status, body.error?.code ?? 'error', body.error?.message ?? `backend answered ${res.status}`, body.error?.details);
}
