import type { App, RespondFn } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import { BackendError, json } from '../backend-client.js';
import { formatDate } from '../format.js';
import { reasonOf } from '../home/publish.js';
import { st } from '../i18n/index.js';
import { rapportOf, type RapportContext } from '../identity.js';
import { ACTIONS } from '../ids.js';
import { digestBlocks, followUpIdOf, markFollowUp } from './blocks.js';
import { msg } from './pieces.js';
import type { Digest } from './types.js';

const DAY = 86_400_000;

/** The follow-up as PATCH /api/follow-ups/:id answers it (the parts read here). */
type Updated = { dueAt: string; owner: { name: string } };

export type DigestAction = { type: string; action_id: string; block_id?: string; value?: string; selected_user?: string };
export type DigestBody = {
  user: { id: string };
  channel?: { id: string };
  container?: { type?: string; channel_id?: string; message_ts?: string; is_ephemeral?: boolean };
  message?: { ts?: string; text?: string; blocks?: unknown[] };
};
export type Args = {
  ack: () => Promise<void>;
  action: DigestAction;
  body: DigestBody;
  respond?: RespondFn;
  client: WebClient;
  context: Record<string, unknown>;
};

/** Changes a follow-up as the presser; answers the line (mrkdwn, escaped) that takes the place of its buttons. */
type Change = (r: RapportContext, id: string, action: DigestAction, client: WebClient) => Promise<string>;

/**
 * The digest's buttons: Done, Snooze 1 day, Snooze 1 week and Reassign change
 * the follow-up through the backend as the person who pressed, then update
 * that digest message in place: the follow-up's buttons become a line saying
 * who did what; every other block stays. A failure is told to the presser
 * privately and rethrown for the log.
 */
export function registerDigestActions(bolt: App) {
  const on = (actionId: string, change: Change) =>
    bolt.action(actionId, (async ({ ack, action, body, respond, client, context }: Args) => {
      await ack();
      const r = rapportOf(context);
      const id = followUpIdOf(action);
      if (!r || !id) return;
      try {
        const line = await change(r, id, action, client);
        await redraw(r, body, respond, client, id, line);
      } catch (e) {
        await tell(r, body, respond, client, e).catch(() => undefined);
        throw e;
      }
    }) as never);

  on(ACTIONS.digestDone, async (r, id) => {
    await json(r.api['follow-ups'][':id'].$patch({ param: { id }, json: { status: 'done' } }));
    return msg(r.locale)('digest_done_by', { name: r.name });
  });
  const snooze =
    (ms: number): Change =>
    async (r, id) => {
      const base = Math.max(r.now().getTime(), (await currentDue(r, id)) ?? 0);
      const updated = (await json(r.api['follow-ups'][':id'].$patch({ param: { id }, json: { dueAt: new Date(base + ms).toISOString() } }))) as Updated;
      return msg(r.locale)('digest_snoozed_by', { when: formatDate(updated.dueAt, r.locale, r.timeZone), name: r.name });
    };
  on(ACTIONS.digestSnooze1d, snooze(DAY));
  on(ACTIONS.digestSnooze1w, snooze(7 * DAY));
  on(ACTIONS.digestReassign, async (r, id, action, client) => {
    if (!action.selected_user) throw new BackendError(400, 'invalid_value', st(r.locale, 'digest_reassign_no_email'));
    const info = await client.users.info({ user: action.selected_user });
    const email = info.user?.profile?.email;
    if (!email) throw new BackendError(400, 'invalid_value', st(r.locale, 'digest_reassign_no_email'));
    const updated = (await json(r.api['follow-ups'][':id'].$patch({ param: { id }, json: { ownerEmail: email } }))) as Updated;
    return msg(r.locale)('digest_reassigned_by', { owner: updated.owner.name, name: r.name });
  });
}

/** The follow-up's due time now (ms), to snooze from whichever is later, now or then. */
async function currentDue(r: RapportContext, id: string): Promise<number | undefined> {
  const list = await json(r.api['follow-ups'].$get({ query: { owner: 'team', status: 'open', due: 'week', limit: '500' } }));
  const found = (list.items as { id: string; dueAt: string }[]).find((f) => f.id === id);
  return found ? Date.parse(found.dueAt) : undefined;
}

/**
 * That message, with the follow-up's buttons replaced by line: chat.update for
 * the DM the scheduler posted; the preview (`/crm digest`, ephemeral, which
 * chat.update cannot reach) is replaced through its response_url.
 */
async function redraw(r: RapportContext, body: DigestBody, respond: RespondFn | undefined, client: WebClient, id: string, line: string) {
  await redrawMarked(r, body, respond, client, (blocks) => markFollowUp(blocks, id, line));
}

/** That message with mark applied to its blocks (the digest's deal buttons use it too). */
export async function redrawMarked(
  r: RapportContext,
  body: DigestBody,
  respond: RespondFn | undefined,
  client: WebClient,
  mark: (blocks: readonly unknown[]) => KnownBlock[],
) {
  let blocks = body.message?.blocks;
  let text = body.message?.text ?? '';
  if (!blocks) {
    const fresh = digestBlocks((await json(r.api.me.digest.$get())) as Digest, {
      now: r.now().toISOString(),
      ...(r.publicUrl ? { publicUrl: r.publicUrl } : {}),
    });
    blocks = fresh.blocks;
    text = fresh.text;
  }
  const marked = mark(blocks);
  if (body.container?.is_ephemeral) {
    if (respond) await respond({ replace_original: true, response_type: 'ephemeral', text, blocks: marked });
    return;
  }
  const channel = body.channel?.id ?? body.container?.channel_id;
  const ts = body.message?.ts ?? body.container?.message_ts;
  if (!channel || !ts) return;
  await client.chat.update({ channel, ts, text, blocks: marked });
}

/** What went wrong, to the presser only. */
export async function tell(r: RapportContext, body: DigestBody, respond: RespondFn | undefined, client: WebClient, e: unknown) {
  const text = st(r.locale, 'failure', { reason: reasonOf(r, e) });
  if (body.container?.is_ephemeral && respond) {
    await respond({ response_type: 'ephemeral', replace_original: false, text });
    return;
  }
  const channel = body.channel?.id ?? body.container?.channel_id ?? r.slackUserId;
  await client.chat.postEphemeral({ channel, user: body.user.id, text });
}
