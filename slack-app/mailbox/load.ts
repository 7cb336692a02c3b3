import { BackendError, json } from '../backend-client.js';
import { reasonOf } from '../home/publish.js';
import type { RapportContext } from '../identity.js';
import type { CapturePart, MailboxRow } from './types.js';

/**
 * What the Home tab's Email capture and Mailboxes parts load: the capture
 * address, Gmail sync's status and, when the member can connect (or must
 * reconnect), a fresh Google consent link; every mailbox for an admin.
 */

/** The capture address (a failure throws: the part shows why), and Gmail sync when the server offers it. */
export async function loadCapturePart(r: RapportContext): Promise<CapturePart> {
  const [capture, gmail] = await Promise.all([json(r.api.me.capture.$get()), loadGmail(r)]);
  return { capture, ...(gmail ? { gmail } : {}) };
}

/**
 * Gmail sync for the Home: undefined where the server offers none (no
 * Google set-up, or a backend without the routes: 404); its status, and
 * Google's consent link when not connected or to reconnect (with the
 * calendar when the member turned it on), or for the calendar alone when
 * Gmail is connected without it; or why it could not be asked, in the
 * reader's words.
 */
async function loadGmail(r: RapportContext): Promise<CapturePart['gmail']> {
  const { api } = r;
  try {
    const status = await json(api.me.mailbox.$get());
    if (!status.available) return undefined;
    // the member asked for their calendar: every consent link asks for it too (asking again changes nothing)
    const ask = status.calendar.enabled ? { calendar: true } : {};
    try {
      if (status.connected && status.status !== 'reconnect') {
        if (!status.calendar.enabled || status.calendar.granted) return { ok: true, status };
        // connected without the calendar's consent: a link to give it
        const { authorizeUrl } = await json(api.me.mailbox.$post({ json: ask }));
        return { ok: true, status, calendarUrl: authorizeUrl };
      }
      const { authorizeUrl } = await json(api.me.mailbox.$post({ json: ask }));
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
    return (await json(r.api.mailboxes.$get())).items;
  } catch (e) {
    if (e instanceof BackendError && e.status === 404) return null;
    throw e;
  }
}
