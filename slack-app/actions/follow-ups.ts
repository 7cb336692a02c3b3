import type { App, BlockButtonAction } from '@slack/bolt';
import { BackendError, json } from '../backend-client.js';
import { errorBlocks } from '../blocks/contact-card.js';
import { myFollowUps } from '../commands/crm.js';
import { rapportOf, type RapportContext } from '../identity.js';
import { ACTIONS } from '../ids.js';

const DAY = 86_400_000;

async function change(r: RapportContext, id: string, patch: { status?: 'done'; dueAt?: string }) {
  await json(r.api['follow-ups'][':id'].$patch({ param: { id }, json: patch }));
}

/** Done / Snooze on a follow-up list: change it, then show the list again in place. */
export function registerFollowUpActions(bolt: App) {
  const handle = (compute: (r: RapportContext, current: { dueAt: string } | undefined) => { status?: 'done'; dueAt?: string }) =>
    async ({ ack, action, respond, context }: { ack: () => Promise<void>; action: BlockButtonAction['actions'][number]; respond: (m: object) => Promise<unknown>; context: Record<string, unknown> }) => {
      await ack();
      const r = rapportOf(context);
      if (!r || !action.value) return;
      try {
        const list = await json(r.api['follow-ups'].$get({ query: { owner: 'me', limit: '500' } }));
        const current = (list.items as { id: string; dueAt: string }[]).find((f) => f.id === action.value);
        await change(r, action.value, compute(r, current));
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
