import { BackendError, json, type MemberClient } from '../backend-client.js';
import { reasonOf } from '../home/publish.js';
import type { RapportContext } from '../identity.js';
import type { Capture, CapturePart, MailboxRow, MailboxStatus } from './types.js';

/**
 * What the Home tab's Email capture and Mailboxes parts load: the capture
 * address, Gmail sync's status and, when the member can connect (or must
 * reconnect), a fresh Google consent link; every mailbox for an admin.
 */

/** A typed answer as hc gives it: json() types the 2xx. */
type Answer<T> = { ok: true; status: 200; json(): Promise<T> } | { ok: false; status: 400 | 401 | 403 | 404 | 409 | 500; json(): Promise<unknown> };

/**
 * The Gmail sync routes (backend/google/routes.ts) as the member client
 * reaches them. They are declared here until that file lands on main and
 * the typed client knows them; hc's client reaches any path all the same.
 */
interface MailboxApi {
  me: {
    capture: { $get(): Promise<Answer<Capture>> };
    mailbox: {
      $get(): Promise<Answer<MailboxStatus>>;
      $post(args: { json: { policy?: MailboxStatus['policy']; visibility?: MailboxStatus['visibility'] } }): Promise<Answer<{ authorizeUrl: string }>>;
      $delete(): Promise<Answer<MailboxStatus>>;
    };
  };
  mailboxes: { $get(): Promise<Answer<{ items: MailboxRow[] }>> };
}
export const mailboxApi = (api: MemberClient) => api as unknown as MailboxApi;

/** The capture address (a failure throws: the part shows why), and Gmail sync when the server offers it. */
export async function loadCapturePart(r: RapportContext): Promise<CapturePart> {
  const [capture, gmail] = await Promise.all([json(r.api.me.capture.$get()), loadGmail(r)]);
  return { capture, ...(gmail ? { gmail } : {}) };
}

/**
 * Gmail sync for the Home: undefined where the server offers none (no
 * Google set-up, or a backend without the routes: 404); its status, and
 * Google's consent link when not connected or to reconnect; or why it could
 * not be asked, in the reader's words.
 */
async function loadGmail(r: RapportContext): Promise<CapturePart['gmail']> {
  const api = mailboxApi(r.api);
  try {
    const status = await json(api.me.mailbox.$get());
    if (!status.available) return undefined;
    if (status.connected && status.status !== 'reconnect') return { ok: true, status };
    try {
      const { authorizeUrl } = await json(api.me.mailbox.$post({ json: {} }));
      return { ok: true, status, authorizeUrl };
    } catch (e) {
      // delegation only (no OAuth client): the admin turns sync on; there is no link to give
      if (e instanceof BackendError && e.status === 409) return { ok: true, status };
      throw e;
    }
  } catch (e) {
    if (e instanceof BackendError && e.status === 404) return undefined;
    return { ok: false, reason: reasonOf(r, e) };
  }
}

/** Every member's mailbox, for an admin's Home; null from a backend without Gmail sync's routes. */
export async function loadMailboxes(r: RapportContext): Promise<MailboxRow[] | null> {
  try {
    return (await json(mailboxApi(r.api).mailboxes.$get())).items;
  } catch (e) {
    if (e instanceof BackendError && e.status === 404) return null;
    throw e;
  }
}
