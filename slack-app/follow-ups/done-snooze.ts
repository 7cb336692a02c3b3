import type { App, BlockButtonAction, RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { BackendError, json } from '../backend-client.js';
import { errorBlocks } from '../contacts/contact-card.js';
import { myFollowUps } from '../crm-command.js';
import { publishHome, reasonOf } from '../home/publish.js';
import { st } from '../i18n/index.js';
import { rapportOf, type RapportContext } from '../identity.js';
import { ACTIONS } from '../ids.js';

const DAY = 86_400_000;

type Patch = { status?: 'done'; dueAt?: string };
type Compute = (r: RapportContext, current: { dueAt: string } | undefined) => Patch;

async function change(r: RapportContext, id: string, compute: Compute) {
  const list = await json(r.api['follow-ups'].$get({ query: { owner: 'me', limit: '500' } }));
  const current = (list.items as { id: string; dueAt: string }[]).find((f) => f.id === id);
  await json(r.api['follow-ups'][':id'].$patch({ param: { id }, json: compute(r, current) }));
}

type Args = {
  ack: () => Promise<void>;
  action: BlockButtonAction['actions'][number];
  body: BlockButtonAction;
  respond?: RespondFn;
  client: WebClient;
  context: Record<string, unknown>;
};

/**
 * Done / Snooze on a follow-up. From a message (the list /crm follow-ups
 * answers with): change it, then show the list again in place. From the Home
 * tab, which has no response_url: change it, then publish the Home again, with
 * what went wrong at the top if the change failed.
 */
export function registerFollowUpActions(bolt: App) {
  const handle =
    (compute: Compute) =>
    async ({ ack, action, body, respond, client, context }: Args) => {
      await ack();
      const r = rapportOf(context);
      if (!r || !action.value) return;

      if (body.container?.type === 'view' && body.view?.type === 'home') {
        let failed: unknown;
        try {
          await change(r, action.value, compute);
        } catch (e) {
          failed = e;
        }
        const notice = failed ? st(r.locale, 'failure', { reason: reasonOf(r, failed) }) : undefined;
        await publishHome(r, client, notice ? { notice } : {});
        if (failed && !(failed instanceof BackendError)) throw failed;
        return;
      }

      if (!respond) return;
      try {
        await change(r, action.value, compute);
        const blocks = await myFollowUps(r);
        await respond({ replace_original: true, response_type: 'ephemeral', text: blocks.text, blocks: blocks.blocks });
      } catch (e) {
        await respond({ response_type: 'ephemeral', ...errorBlocks(r.locale, e instanceof BackendError ? e.message : 'error') });
        if (!(e instanceof BackendError)) throw e;
      }
    };
  const snooze = (ms: number) => (r: RapportContext, current: { dueAt: string } | undefined) => {
    const base = Math.max(r.now().getTime(), current ? Date.parse(current.dueAt) : 0);
    return { dueAt: new Date(base + ms).toISOString() };
  };
  bolt.action<BlockButtonAction>(ACTIONS.followUpDone, handle(() => ({ status: 'done' })) as never);
  bolt.action<BlockButtonAction>(ACTIONS.followUpSnooze1d, handle(snooze(DAY)) as never);
  bolt.action<BlockButtonAction>(ACTIONS.followUpSnooze1w, handle(snooze(7 * DAY)) as never);
}
