import type { App, BlockButtonAction, RespondFn } from '@slack/bolt';
import type { ActionsBlock, KnownBlock } from '@slack/types';
import type * as z from 'zod';
import type { Locale } from '../../backend/i18n/vocabulary.js';
import type { DuplicateList } from '../../backend/duplicates/schemas.js';
import { BackendError, json } from '../backend-client.js';
import { errorBlocks, type SlackMessage } from '../contacts/contact-card.js';
import type { CompanyDuplicateList } from '../../backend/companies/schemas.js';
import { escapeTruncate, formatDate, mrkdwnEscape } from '../format.js';
import { st, type SlackMessageKey } from '../i18n/index.js';
import { rapportOf, type RapportContext } from '../identity.js';
import { oneLine } from '../block-text.js';
import { companyDuplicateBlocks, companyDuplicates, registerCompanyDuplicateActions } from './company-review.js';
import { button, context, type DuplicateHandler, finish, header, type Notice, section } from './review-pieces.js';

export type { Notice };

/**
 * /crm duplicates: the likeliest pairs, each with Merge (into the older
 * contact) and Not a duplicate, then companies that look like one account
 * (company-review.ts); a press acts as whoever pressed and redraws the
 * list in place with what happened on top (a merge with its Undo button).
 * The action and block ids live here beside the only code that renders and
 * handles them. Button values: '<a id>:<b id>' (a the older), or the merge id.
 */
export const DUPLICATE_ACTIONS = { merge: 'duplicate_merge', dismiss: 'duplicate_dismiss', undo: 'duplicate_undo_merge' } as const;
export const DUPLICATE_BLOCKS = { header: 'dup_header', notice: 'dup_notice' } as const;
/** 'dup_pair:<a>:<b>', 'dup_keeps:<a>:<b>', 'dup_actions:<a>:<b>': the three blocks of one pair */
export const pairBlockId = (kind: 'pair' | 'keeps' | 'actions', a: string, b: string) => `dup_${kind}:${a}:${b}`;

/** Pairs shown: 3 blocks each, so 10 stay well inside Slack's 50. */
export const DUPLICATES_SHOWN = 10;

type List = z.infer<typeof DuplicateList>;
type Pair = List['items'][number];
type Person = Pair['a'];

/** /crm duplicates, or the list redrawn after a button with its notice on top. */
export async function duplicatesCommand(r: RapportContext, notice?: Notice): Promise<SlackMessage> {
  const [list, companies] = await Promise.all([json(r.api.duplicates.$get({ query: { limit: String(DUPLICATES_SHOWN + 1) } })), companyDuplicates(r)]);
  return duplicateBlocks(list, { locale: r.locale, ...(notice ? { notice } : {}), ...(companies ? { companies } : {}) });
}

/** Pure: the pairs, at most 10 (the header says 10+ when the API gave an 11th). */
export function duplicateBlocks(list: List, opts: { locale: Locale; notice?: Notice; companies?: CompanyDuplicateList }): SlackMessage {
  const { locale } = opts;
  const m = (key: SlackMessageKey, params?: Record<string, unknown>) => mrkdwnEscape(st(locale, key, params));
  const blocks: KnownBlock[] = [];
  if (opts.notice) {
    const line = `${opts.notice.ok ? ':white_check_mark:' : ':warning:'} ${escapeTruncate(opts.notice.text, 2000)}`;
    blocks.push(
      opts.notice.undo
        ? section(DUPLICATE_BLOCKS.notice, line, button(st(locale, 'btn_undo_merge'), opts.notice.undo.action, opts.notice.undo.id))
        : context(DUPLICATE_BLOCKS.notice, line),
    );
  }
  const shown = list.items.slice(0, DUPLICATES_SHOWN);
  const companies = companyDuplicateBlocks(opts.companies, locale);
  if (shown.length === 0) {
    const none = m('dup_none');
    blocks.push(section(DUPLICATE_BLOCKS.header, `:sparkles: ${none}`), ...companies);
    return finish(none, blocks);
  }
  const title = st(locale, 'dup_header', { count: list.items.length > DUPLICATES_SHOWN ? `${DUPLICATES_SHOWN}+` : shown.length });
  blocks.push(header(DUPLICATE_BLOCKS.header, title));
  for (const p of shown) {
    const why = p.reason === 'name' ? m('dup_reason_name', { percent: Math.round(p.score * 100) }) : m(`dup_reason_${p.reason}`);
    blocks.push(section(pairBlockId('pair', p.a.id, p.b.id), `${personLine(p.a)}\n${personLine(p.b)}\n:mag: ${why}`));
    blocks.push(context(pairBlockId('keeps', p.a.id, p.b.id), m('dup_keeps', { name: oneLine(p.a.name), other: oneLine(p.b.name) })));
    const value = `${p.a.id}:${p.b.id}`;
    blocks.push({
      type: 'actions',
      block_id: pairBlockId('actions', p.a.id, p.b.id),
      elements: [
        button(st(locale, 'btn_merge'), DUPLICATE_ACTIONS.merge, value, 'primary'),
        button(st(locale, 'btn_not_duplicate'), DUPLICATE_ACTIONS.dismiss, value),
      ],
    } satisfies ActionsBlock);
  }
  blocks.push(...companies);
  return finish(mrkdwnEscape(title), blocks);
}

/** '*Jane Doe* · Acme · jane@acme.com · +81 3 1234 5678', every value escaped */
function personLine(p: Person): string {
  const about = [p.title, p.company?.name, p.emails[0], p.phone].map((x) => escapeTruncate(oneLine(x ?? ''), 200)).filter(Boolean);
  return `*${escapeTruncate(oneLine(p.name), 300)}*${about.length ? ` · ${about.join(' · ')}` : ''}`;
}

/** Merge, Not a duplicate and Undo merge: act as the presser, then redraw the list. */
export function registerDuplicateActions(bolt: App) {
  const handle: DuplicateHandler =
    (act: (r: RapportContext, value: string) => Promise<Notice>) =>
    async ({
      ack,
      action,
      respond,
      context: ctx,
    }: {
      ack: () => Promise<void>;
      action: BlockButtonAction['actions'][number];
      respond: RespondFn;
      context: Record<string, unknown>;
    }) => {
      await ack();
      const r = rapportOf(ctx);
      if (!r || !action.value) return;
      let notice: Notice;
      try {
        notice = await act(r, action.value);
      } catch (e) {
        if (!(e instanceof BackendError && e.status < 500)) {
          await respond({
            response_type: 'ephemeral',
            replace_original: false,
            ...errorBlocks(r.locale, e instanceof BackendError ? e.message : 'error'),
          });
          throw e;
        }
        // someone merged or dismissed it first, the contact is gone, undo is too late: said on top
        notice = { ok: false, text: e.message };
      }
      const redrawn = await duplicatesCommand(r, notice);
      await respond({ replace_original: true, response_type: 'ephemeral', text: redrawn.text, blocks: redrawn.blocks });
    };
  const pairOf = (value: string) => {
    const [a = '', b = ''] = value.split(':');
    return { a, b };
  };

  bolt.action<BlockButtonAction>(
    DUPLICATE_ACTIONS.merge,
    handle(async (r, value) => {
      const { a, b } = pairOf(value);
      const done = await json(r.api.contacts[':id'].merge.$post({ param: { id: a }, json: { from: [b] } }));
      return {
        ok: true,
        undo: { action: DUPLICATE_ACTIONS.undo, id: done.merge.id },
        text: st(r.locale, 'dup_merged', {
          merged: done.merge.merged.map((x) => x.name).join(', '),
          survivor: done.contact.name,
          until: formatDate(done.merge.undoableUntil, r.locale, r.timeZone),
        }),
      };
    }) as never,
  );

  bolt.action<BlockButtonAction>(
    DUPLICATE_ACTIONS.dismiss,
    handle(async (r, value) => {
      const done = await json(r.api.duplicates.dismiss.$post({ json: pairOf(value) }));
      return { ok: true, text: st(r.locale, 'dup_dismissed', { a: done.a.name, b: done.b.name }) };
    }) as never,
  );

  bolt.action<BlockButtonAction>(
    DUPLICATE_ACTIONS.undo,
    handle(async (r, value) => {
      const done = await json(r.api.merges[':id'].undo.$post({ param: { id: value } }));
      return { ok: true, text: st(r.locale, 'dup_undone', { names: [done.contact.name, ...done.restored.map((c) => c.name)].join(', ') }) };
    }) as never,
  );

  registerCompanyDuplicateActions(bolt, handle);
}
