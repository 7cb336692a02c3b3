import type { App } from '@slack/bolt';
import { rapportOf } from '../identity.js';
import { publishHome } from './publish.js';

/** Opening the Home tab publishes it afresh; the Messages tab needs nothing from us. */
export function registerAppHomeOpened(bolt: App) {
  bolt.event('app_home_opened', async ({ event, client, context }) => {
    if (event.tab !== 'home') return;
    const r = rapportOf(context);
    if (!r) return;
    await publishHome(r, client);
  });
}
