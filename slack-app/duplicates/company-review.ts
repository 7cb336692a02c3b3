import type { App, BlockButtonAction } from '@slack/bolt';
import type { ActionsBlock, KnownBlock } from '@slack/types';
import type { CompanyDuplicateList } from '../../backend/companies/schemas.js';
import type { Locale } from '../../backend/i18n/vocabulary.js';
import { json } from '../backend-client.js';
import { oneLine } from '../block-text.js';
import { escapeTruncate, formatDate, mrkdwnEscape } from '../format.js';
import { st, type SlackMessageKey } from '../i18n/index.js';
import type { RapportContext } from '../identity.js';
import { button, header, section, type DuplicateHandler } from './review-pieces.js';

/**
 * The companies part of /crm duplicates (issue 18): accounts that look like
 * one (a domain under the other's, or the same name once legal forms and
 * width are set aside), each with Merge into the older; the notice after a
 * merge has its Undo. Button values: '<a id>:<b id>' (a the older), or the
 * company merge's id.
 */
export const COMPANY_DUPLICATE_ACTIONS = { merge: 'company_duplicate_merge', undo: 'company_duplicate_undo' } as const;
/** 'dup_company:<a>:<b>', 'dup_company_actions:<a>:<b>': the two blocks of one pair */
export const companyPairBlockId = (kind: 'pair' | 'actions', a: string, b: string) => `dup_company${kind === 'pair' ? '' : '_actions'}:${a}:${b}`;
export const COMPANY_DUPLICATE_HEADER = 'dup_company_header';

/** Company pairs shown below the contacts: 2 blocks each, so the message stays inside Slack's 50 blocks. */
export const COMPANY_DUPLICATES_SHOWN = 5;

/** The list, or none when the server has no companies API (an older backend) or it failed: the contacts still show. */
export async function companyDuplicates(r: RapportContext): Promise<CompanyDuplicateList | undefined> {
  try {
    return await json(r.api.companies.duplicates.$get({ query: { limit: String(COMPANY_DUPLICATES_SHOWN + 1) } }));
  } catch {
    return undefined;
  }
}

/** Pure: the header and pairs, or nothing when there are none. */
export function companyDuplicateBlocks(list: CompanyDuplicateList | undefined, locale: Locale): KnownBlock[] {
  const shown = (list?.items ?? []).slice(0, COMPANY_DUPLICATES_SHOWN);
  if (!shown.length) return [];
  const m = (key: SlackMessageKey, params?: Record<string, unknown>) => mrkdwnEscape(st(locale, key, params));
  const count = (list?.items.length ?? 0) > COMPANY_DUPLICATES_SHOWN ? `${COMPANY_DUPLICATES_SHOWN}+` : shown.length;
  const blocks: KnownBlock[] = [header(COMPANY_DUPLICATE_HEADER, st(locale, 'dup_company_header', { count }))];
  for (const p of shown) {
    const why = m(p.reason === 'domain' ? 'dup_company_reason_domain' : 'dup_company_reason_name');
    const keeps = m('dup_keeps_company', { name: oneLine(p.a.name) });
    blocks.push(section(companyPairBlockId('pair', p.a.id, p.b.id), `${companyLine(p.a, locale)}\n${companyLine(p.b, locale)}\n:mag: ${why} · ${keeps}`));
    blocks.push({
      type: 'actions',
      block_id: companyPairBlockId('actions', p.a.id, p.b.id),
      elements: [button(st(locale, 'btn_merge'), COMPANY_DUPLICATE_ACTIONS.merge, `${p.a.id}:${p.b.id}`, 'primary')],
    } satisfies ActionsBlock);
  }
  return blocks;
}

/** '*Acme Inc.* · acme.com, acme.co.jp · 12 people', every value escaped */
function companyLine(c: CompanyDuplicateList['items'][number]['a'], locale: Locale): string {
  const domains = c.domains.slice(0, 3).map((d) => escapeTruncate(d, 100));
  const about = [domains.join(', '), mrkdwnEscape(st(locale, 'dup_company_people', { count: c.peopleCount }))].filter(Boolean);
  return `:office: *${escapeTruncate(oneLine(c.name), 300)}* · ${about.join(' · ')}`;
}

/** Merge (a company pair) and Undo: act as the presser; the list is redrawn by the caller's handler. */
export function registerCompanyDuplicateActions(bolt: App, handle: DuplicateHandler) {
  bolt.action<BlockButtonAction>(
    COMPANY_DUPLICATE_ACTIONS.merge,
    handle(async (r, value) => {
      const [a = '', b = ''] = value.split(':');
      const done = await json(r.api.companies[':id'].merge.$post({ param: { id: a }, json: { from: [b] } }));
      return {
        ok: true,
        undo: { action: COMPANY_DUPLICATE_ACTIONS.undo, id: done.merge.id },
        text: st(r.locale, 'dup_company_merged', {
          merged: done.merge.merged.map((x) => x.name).join(', '),
          survivor: done.company.name,
          until: formatDate(done.merge.undoableUntil, r.locale, r.timeZone),
        }),
      };
    }) as never,
  );
  bolt.action<BlockButtonAction>(
    COMPANY_DUPLICATE_ACTIONS.undo,
    handle(async (r, value) => {
      const done = await json(r.api.companies.merges[':id'].undo.$post({ param: { id: value } }));
      return { ok: true, text: st(r.locale, 'dup_company_undone', { names: [done.company.name, ...done.restored.map((c) => c.name)].join(', ') }) };
    }) as never,
  );
}
