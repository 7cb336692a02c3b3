import type { App, BlockAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { BackendError, json } from '../backend-client.js';
import { publishHome, reasonOf } from '../home/publish.js';
import { st } from '../i18n/index.js';
import { rapportOf, type RapportContext } from '../identity.js';
import { ACTIONS } from '../ids.js';

/**
 * The Email capture part's buttons on the Home tab. New address and
 * Disconnect Gmail were confirmed in Slack's own dialog before they arrive;
 * each changes the backend and publishes the Home again, which shows the
 * outcome (the new address, Gmail not connected). A failure is told at the top
 * of the Home. Connect and Reconnect are links Slack opens itself.
 */
export function registerMailboxActions(bolt: App) {
  type Press = { client: WebClient; context: Record<string, unknown> };

  bolt.action<BlockAction>(ACTIONS.captureRotate, async ({ client, context }: Press) => {
    const r = rapportOf(context);
    if (r) await change(r, client, () => json(r.api.me.capture.rotate.$post()));
  });

  bolt.action<BlockAction>(ACTIONS.gmailDisconnect, async ({ client, context }: Press) => {
    const r = rapportOf(context);
    if (r) await change(r, client, () => json(r.api.me.mailbox.$delete()));
  });

  // Google Calendar beside Gmail: the member's wish; Google's consent follows from the Home's link
  bolt.action<BlockAction>(ACTIONS.calendarOn, async ({ client, context }: Press) => {
    const r = rapportOf(context);
    if (r) await change(r, client, () => json(r.api.me.mailbox.$patch({ json: { calendar: true } })));
  });

  bolt.action<BlockAction>(ACTIONS.calendarOff, async ({ client, context }: Press) => {
    const r = rapportOf(context);
    if (r) await change(r, client, () => json(r.api.me.mailbox.$patch({ json: { calendar: false } })));
  });

  // link buttons: Slack opens Google's consent page; the click still arrives and must be acked
  for (const id of [ACTIONS.gmailConnect, ACTIONS.gmailReconnect, ACTIONS.calendarConnect]) {
    bolt.action(id, async ({ ack }) => {
      await ack();
    });
  }
}

/** Does the change, then republishes the Home: with the failure at its top when the change failed. */
export async function change(r: RapportContext, client: WebClient, run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (e) {
    await publishHome(r, client, { notice: st(r.locale, 'failure', { reason: reasonOf(r, e) }) }).catch(() => undefined);
    if (!(e instanceof BackendError && e.status < 500)) throw e;
    return;
  }
  // a part of the Home that fails to load is shown as such; the log learns it from the rethrow
  await publishHome(r, client);
}
