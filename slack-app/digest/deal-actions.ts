import type { App } from '@slack/bolt';
import { json } from '../backend-client.js';
import { formatDate } from '../format.js';
import { rapportOf } from '../identity.js';
import { ACTIONS } from '../ids.js';
import { type Args, redrawMarked, tell } from './actions.js';
import { markDeal } from './deals.js';
import { msg } from './pieces.js';

/**
 * The digest's Snooze on a deal (closing this week or stalled): snoozes it a
 * week through the backend as the person who pressed, then updates that
 * digest message in place, the deal's buttons becoming a line saying until
 * when and by whom. Move stage, the other deal button, opens the deal
 * modals' Move stage (registered with them).
 */
export function registerDigestDealActions(bolt: App) {
  bolt.action(ACTIONS.dealSnooze, (async ({ ack, action, body, respond, client, context }: Args) => {
    await ack();
    const r = rapportOf(context);
    const id = action.value;
    if (!r || !id) return;
    try {
      const snoozed = await json(r.api.deals[':id'].snooze.$post({ param: { id }, json: { days: 7 } }));
      const line = msg(r.locale)('digest_deal_snoozed_by', { when: formatDate(snoozed.snoozedUntil, r.locale, r.timeZone), name: r.name });
      await redrawMarked(r, body, respond, client, (blocks) => markDeal(blocks, id, line));
    } catch (e) {
      await tell(r, body, respond, client, e).catch(() => undefined);
      throw e;
    }
  }) as never);
}
