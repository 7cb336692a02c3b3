import type { App } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import type { Locale } from '../../backend/i18n/vocabulary.js';
import { BackendError, json } from '../backend-client.js';
import { MODAL_LIMITS, assertModalLimits } from '../contacts/modals.js';
import { truncate } from '../format.js';
import { st } from '../i18n/index.js';
import { rapportOf } from '../identity.js';
import { ACTIONS, VIEWS } from '../ids.js';
import { publishHome, reasonOf } from './publish.js';

const plain = (text: string, max: number) => ({ type: 'plain_text' as const, text: truncate(text, max), emoji: true });

/**
 * The modal with a fresh one-time sign-in link to the web pages: what it
 * does and how long it lives, and a link button (openInRapport: its listener
 * only acks). Pure: the locale and the URL in, the view out.
 *   openBrowserModal('ja', 'https://r.example/signin/link/abc').blocks[1].elements[0].url = 'https://r.example/signin/link/abc'
 */
export function openBrowserModal(locale: Locale, url: string): ModalView {
  const view: ModalView = {
    type: 'modal',
    callback_id: VIEWS.openBrowser,
    title: plain(st(locale, 'home_open_browser_title'), MODAL_LIMITS.title),
    close: plain(st(locale, 'home_open_browser_close'), MODAL_LIMITS.close),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: st(locale, 'home_open_browser_body') } },
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            action_id: ACTIONS.openInRapport,
            text: plain(st(locale, 'home_open_browser_button'), 75),
            url,
            style: 'primary',
          },
        ],
      },
    ],
  };
  assertModalLimits(view);
  return view;
}

/**
 * The Home tab's "Open in browser": a link lives 10 minutes and works once,
 * so none is published in the tab; pressing the button makes one (POST
 * /api/me/signin-link, as the member) and opens it in a modal. A failure is
 * published at the top of the Home.
 */
export function registerOpenInBrowser(bolt: App) {
  bolt.action(ACTIONS.homeOpenBrowser, async ({ ack, body, client, context }) => {
    await ack();
    const r = rapportOf(context);
    if (!r || body.type !== 'block_actions') return;
    try {
      const link = await json(r.api.me['signin-link'].$post({ json: {} }));
      await client.views.open({ trigger_id: body.trigger_id, view: openBrowserModal(r.locale, link.url) });
    } catch (e) {
      await publishHome(r, client, { notice: st(r.locale, 'failure', { reason: reasonOf(r, e) }) });
      if (!(e instanceof BackendError && e.status < 500)) throw e;
    }
  });
}
