import type { App } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import { accountCard } from '../accounts/show-account.js';
import { BackendError, json } from '../backend-client.js';
import { errorBlocks } from '../contacts/contact-card.js';
import { contactCard, isExternal } from '../contacts/show-contact.js';
import { type Args, tell } from '../digest/actions.js';
import { formatDate, mrkdwnEscape } from '../format.js';
import { st } from '../i18n/index.js';
import { rapportOf, type RapportContext } from '../identity.js';
import { ACTIONS } from '../ids.js';
import { alertSubject, markAlert } from './blocks.js';

/** Snooze on an alert: an hour (the route takes 15 minutes to a week). */
export const ALERT_SNOOZE_MINUTES = 60;

/**
 * An alert's buttons (issue 19). Open card shows the card of what it is about
 * (the contact's, or the account's for a deal) to the presser only; Done,
 * Snooze and Assign to me act through the backend as the presser
 * (POST /api/alerts/{id}/done|snooze|assign), then the message's buttons
 * become a line saying who did what.
 */
export function registerAlertActions(bolt: App) {
  bolt.action(ACTIONS.alertOpen, (async ({ ack, action, body, respond, client, context }: Args) => {
    await ack();
    const r = rapportOf(context);
    if (!r || !action.value) return;
    const subject = alertSubject(body.message?.blocks, action.value);
    const channel = body.channel?.id ?? body.container?.channel_id;
    try {
      if (!subject) {
        await client.chat.postEphemeral({ channel: channel ?? body.user.id, user: body.user.id, text: st(r.locale, 'alert_nothing_to_open') });
        return;
      }
      const external = await isExternal(client, channel);
      const card =
        subject.type === 'contact'
          ? await contactCard(r, subject.id, { external, shareable: !external && !!channel && !channel.startsWith('D'), shared: false })
          : await accountCard(r, subject.id, { external });
      if (respond) await respond({ response_type: 'ephemeral', replace_original: false, text: card.text, blocks: card.blocks as never });
      else await client.chat.postEphemeral({ channel: channel ?? body.user.id, user: body.user.id, text: card.text, blocks: card.blocks as never });
    } catch (e) {
      const failed = errorBlocks(r.locale, e instanceof BackendError ? e.message : 'error');
      if (respond) await respond({ response_type: 'ephemeral', replace_original: false, text: failed.text, blocks: failed.blocks as never });
      if (!(e instanceof BackendError)) throw e;
    }
  }) as never);

  const acting = (change: (r: RapportContext, id: string) => Promise<string>) =>
    (async ({ ack, action, body, respond, client, context }: Args) => {
      await ack();
      const r = rapportOf(context);
      const id = action.value;
      if (!r || !id) return;
      try {
        const line = await change(r, id);
        await redraw(body, respond, client, (blocks) => markAlert(blocks, id, line));
      } catch (e) {
        await tell(r, body, respond, client, e).catch(() => undefined);
        if (!(e instanceof BackendError && e.status < 500)) throw e;
      }
    }) as never;

  bolt.action(
    ACTIONS.alertDone,
    acting(async (r, id) => {
      const done = await json(r.api.alerts[':id'].done.$post({ param: { id } }));
      return mrkdwnEscape(st(r.locale, 'alert_done_by', { name: done.by.name }));
    }),
  );
  bolt.action(
    ACTIONS.alertSnooze,
    acting(async (r, id) => {
      const snoozed = await json(r.api.alerts[':id'].snooze.$post({ param: { id }, json: { minutes: ALERT_SNOOZE_MINUTES } }));
      return mrkdwnEscape(st(r.locale, 'alert_snoozed_by', { name: snoozed.by.name, when: formatDate(snoozed.until ?? '', r.locale, r.timeZone) }));
    }),
  );
  bolt.action(
    ACTIONS.alertAssign,
    acting(async (r, id) => {
      const taken = await json(r.api.alerts[':id'].assign.$post({ param: { id } }));
      return mrkdwnEscape(st(r.locale, 'alert_assigned_by', { name: taken.by.name }));
    }),
  );
}

/** The pressed message again, its alert's buttons replaced (in place, or through response_url when ephemeral). */
async function redraw(body: Args['body'], respond: Args['respond'], client: Args['client'], mark: (blocks: readonly unknown[]) => KnownBlock[]) {
  const blocks = body.message?.blocks;
  if (!blocks) return;
  const text = body.message?.text ?? '';
  if (body.container?.is_ephemeral) {
    if (respond) await respond({ replace_original: true, response_type: 'ephemeral', text, blocks: mark(blocks) });
    return;
  }
  const channel = body.channel?.id ?? body.container?.channel_id;
  const ts = body.message?.ts ?? body.container?.message_ts;
  if (channel && ts) await client.chat.update({ channel, ts, text, blocks: mark(blocks) });
}
