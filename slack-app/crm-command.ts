import type { App, RespondArguments } from '@slack/bolt';
import { BackendError, json } from './backend-client.js';
import { errorBlocks, followUpListBlocks, helpBlocks } from './contacts/contact-card.js';
import { st } from './i18n/index.js';
import { rapportOf, type RapportContext } from './identity.js';
import { COMMAND } from './ids.js';
import { isExternal } from './contacts/show-contact.js';
import { companyAnswer, lookupAnswer } from './accounts/show-account.js';
import { digestCommand, parseDigestCommand, type DigestCommand } from './digest/command.js';
import { duplicatesCommand } from './duplicates/review.js';
import { linkCommand, unlinkCommand } from './capture/link-channel.js';
import { segmentListCommand, statsCommand, tidyCommand } from './segments/list-stats-tidy.js';
import { teamCommand, timeZoneCommand } from './team/team-command.js';
import { openNewDeal } from './deals/actions.js';
import { dealsCommand } from './deals/command.js';
import { openAlertPrefs, openAlertRules } from './alert-settings/index.js';

/**
 * What `/crm <text>` asks for.
 *   parseCrmCommand('lang ja') = { kind: 'lang', locale: 'ja' }
 *   parseCrmCommand('brief off') = { kind: 'brief', minutes: 0 }
 *   parseCrmCommand('hours 9:00-18:00') = { kind: 'hours', set: { start: '09:00', end: '18:00' } }
 *   parseCrmCommand('田中') = { kind: 'search', query: '田中' }
 *   parseCrmCommand('company Acme Corp') = { kind: 'company', query: 'Acme Corp' }
 *   parseCrmCommand('digest time 08:30') = { kind: 'digest', action: 'time', time: '08:30' }
 *   parseCrmCommand('タイムゾーン Asia/Tokyo') = { kind: 'tz', zone: 'Asia/Tokyo' }
 */
export type CrmCommand =
  | { kind: 'help' }
  | { kind: 'follow-ups' }
  | { kind: 'lang'; locale: 'en' | 'ja' | 'zh' | null }
  | { kind: 'link'; query: string }
  | { kind: 'unlink' }
  | ({ kind: 'digest' } & DigestCommand)
  | { kind: 'duplicates' }
  | { kind: 'list'; segment: string }
  | { kind: 'stats'; period: 'week' | 'month' }
  | { kind: 'tidy' }
  | { kind: 'deal' }
  | { kind: 'deals' }
  | { kind: 'team' }
  | { kind: 'tz'; zone: string | null }
  | { kind: 'brief'; minutes: number | null }
  | { kind: 'hours'; set: { start: string | null; end: string | null } | 'show' | 'usage' }
  | { kind: 'alerts'; channel: boolean }
  | { kind: 'company'; query: string }
  | { kind: 'search'; query: string };

/**
 * What follows `/crm hours`: nothing (show them), 'default', or a start and an end.
 *   parseHours('9-18') = { start: '09:00', end: '18:00' }   parseHours('１０：００〜１９：３０') = { start: '10:00', end: '19:30' }
 *   parseHours(undefined) = 'show'   parseHours('default') = { start: null, end: null }   parseHours('late') = 'usage'
 */
export function parseHours(arg: string | undefined): { start: string | null; end: string | null } | 'show' | 'usage' {
  if (arg === undefined) return 'show';
  const text = arg.normalize('NFKC').toLowerCase();
  if (['default', 'reset', 'デフォルト', '默认'].includes(text)) return { start: null, end: null };
  const m = /^(\d{1,2})(?::(\d{2}))?[-~〜–](\d{1,2})(?::(\d{2}))?$/.exec(text);
  if (!m) return 'usage';
  const at = (h: string, min = '00') => (Number(h) <= 23 && Number(min) <= 59 ? `${h.padStart(2, '0')}:${min}` : undefined);
  const start = at(m[1]!, m[2]);
  const end = at(m[3]!, m[4]);
  return start && end && start < end ? { start, end } : 'usage';
}

export function parseCrmCommand(text: string): CrmCommand {
  const trimmed = text.replace(/\s+/g, ' ').trim();
  const [first = '', ...rest] = trimmed.split(' ');
  const word = first.toLowerCase();
  if (trimmed === '' || word === 'help' || word === '?' || word === 'ヘルプ' || word === '帮助') return { kind: 'help' };
  if (['follow-ups', 'followups', 'follow-up', 'followup', 'fu', 'フォローアップ', '跟进'].includes(word) && rest.length === 0) {
    return { kind: 'follow-ups' };
  }
  if (['link', 'リンク', '紐づけ', '关联'].includes(word)) return { kind: 'link', query: rest.join(' ').slice(0, 200) };
  if (['unlink', 'リンク解除', '紐づけ解除', '取消关联'].includes(word) && rest.length === 0) return { kind: 'unlink' };
  if (['digest', 'ダイジェスト', '摘要'].includes(word)) return { kind: 'digest', ...parseDigestCommand(rest) };
  if (['duplicates', 'dupes', '重複', '重复'].includes(word) && rest.length === 0) return { kind: 'duplicates' };
  if (['list', 'segment', 'リスト', '列表'].includes(word) && rest.length > 0) return { kind: 'list', segment: rest.join(' ').slice(0, 200) };
  if (['stats', '統計', '统计'].includes(word) && rest.length <= 1) {
    const period = (rest[0] ?? 'week').toLowerCase();
    if (period === 'week' || period === 'month') return { kind: 'stats', period };
  }
  if (['tidy', '整理'].includes(word) && rest.length === 0) return { kind: 'tidy' };
  if (['deal', '案件', '商机'].includes(word) && rest.length === 0) return { kind: 'deal' };
  if (['deals', 'pipeline', '案件一覧', '商机列表'].includes(word) && rest.length === 0) return { kind: 'deals' };
  if (['team', 'members', 'チーム', 'メンバー', '团队', '成员'].includes(word) && rest.length === 0) return { kind: 'team' };
  // the zone as typed: time zone names are case-sensitive to read, not to find
  if (['tz', 'timezone', 'time-zone', 'タイムゾーン', '时区', '時區'].includes(word) && rest.length <= 1) return { kind: 'tz', zone: rest[0] ?? null };
  // working hours (nudges after meetings come within them): shown, set as 09:00-18:00 (or 9-18), or back to the default
  if (['hours', 'working-hours', '勤務時間', '工作时间'].includes(word) && rest.length <= 1) return { kind: 'hours', set: parseHours(rest[0]) };
  // briefs before meetings: off, on (15 minutes) or a number of minutes; anything else: how to use it
  if (['brief', 'briefs', 'ブリーフ', '简报'].includes(word) && rest.length <= 1) {
    const wanted = (rest[0] ?? '').toLowerCase();
    const n = /^\d{1,3}$/.test(wanted) ? Number(wanted) : Number.NaN;
    const minutes = wanted === 'off' ? 0 : wanted === 'on' ? 15 : n >= 0 && n <= 120 ? n : null;
    return { kind: 'brief', minutes };
  }
  // alerts (issue 19): one's own (a modal), or a channel's (managers and admins)
  if (['alerts', 'alert', '通知', '提醒'].includes(word) && rest.length <= 1) {
    const sub = (rest[0] ?? '').toLowerCase();
    if (sub === '') return { kind: 'alerts', channel: false };
    if (['channel', 'channels', 'チャンネル', '频道'].includes(sub)) return { kind: 'alerts', channel: true };
  }
  if (['company', 'account', '会社', '公司'].includes(word) && rest.length > 0) return { kind: 'company', query: rest.join(' ').slice(0, 200) };
  if (word === 'lang' || word === 'language') {
    const wanted = (rest[0] ?? '').toLowerCase();
    return { kind: 'lang', locale: wanted === 'en' || wanted === 'ja' || wanted === 'zh' ? wanted : null };
  }
  return { kind: 'search', query: trimmed.slice(0, 200) };
}

export async function myFollowUps(r: RapportContext) {
  const list = await json(r.api['follow-ups'].$get({ query: { owner: 'me', limit: '100' } }));
  return followUpListBlocks(list.items, { locale: r.locale, timeZone: r.timeZone, now: r.now().toISOString() });
}

export function registerCrmCommand(bolt: App) {
  bolt.command(COMMAND, async ({ command, ack, respond, client, context }) => {
    await ack();
    const r = rapportOf(context);
    if (!r) return;
    const answer = async (m: { text: string; blocks: unknown[] }) => {
      await respond({ response_type: 'ephemeral', text: m.text, ...(m.blocks.length ? { blocks: m.blocks } : {}) } as RespondArguments);
    };
    try {
      const cmd = parseCrmCommand(command.text ?? '');
      switch (cmd.kind) {
        case 'help':
          return await answer(helpBlocks(r.locale));
        case 'follow-ups':
          return await answer(await myFollowUps(r));
        case 'lang': {
          if (!cmd.locale) return await answer({ text: st(r.locale, 'language_unknown'), blocks: [] });
          await json(r.api.me.$patch({ json: { locale: cmd.locale } }));
          return await answer({ text: st(cmd.locale, 'language_set', { language: st(cmd.locale, `lang_${cmd.locale}`) }), blocks: [] });
        }
        case 'link':
          return await answer(await linkCommand(r, client, command.team_id, command.channel_id, cmd.query));
        case 'unlink':
          return await answer(await unlinkCommand(r, command.team_id, command.channel_id));
        case 'digest':
          return await answer(await digestCommand(r, cmd));
        case 'duplicates':
          return await answer(await duplicatesCommand(r));
        case 'list':
          return await answer(await segmentListCommand(r, cmd.segment));
        case 'stats':
          return await answer(await statsCommand(r, cmd.period));
        case 'tidy':
          return await answer(await tidyCommand(r));
        case 'deal': {
          // the modal opens with the command's trigger; only a failure is answered
          const failed = await openNewDeal(r, client, command.trigger_id, command.channel_id);
          return failed ? await answer(failed) : undefined;
        }
        case 'deals':
          return await answer(await dealsCommand(r));
        case 'team':
          return await answer(await teamCommand(r));
        case 'tz':
          return await answer(await timeZoneCommand(r, cmd.zone));
        case 'brief': {
          if (cmd.minutes === null) return await answer({ text: st(r.locale, 'brief_usage'), blocks: [] });
          const set = await json(r.api.me.brief.$put({ json: { minutes: cmd.minutes } }));
          return await answer({ text: set.minutes === 0 ? st(r.locale, 'brief_off') : st(r.locale, 'brief_set', { minutes: set.minutes }), blocks: [] });
        }
        case 'hours': {
          if (cmd.set === 'usage') return await answer({ text: st(r.locale, 'hours_usage'), blocks: [] });
          const hours = cmd.set === 'show' ? await json(r.api.me['working-hours'].$get()) : await json(r.api.me['working-hours'].$put({ json: cmd.set }));
          return await answer({ text: st(r.locale, cmd.set === 'show' ? 'hours_now' : 'hours_set', hours), blocks: [] });
        }
        case 'alerts': {
          // the modal opens with the command's trigger; a rep asking for channel alerts is told who sets them
          if (!cmd.channel) return await openAlertPrefs(r, client, command.trigger_id);
          const refused = await openAlertRules(r, client, command.trigger_id);
          return refused ? await answer(refused) : undefined;
        }
        case 'company':
        case 'search': {
          const external = await isExternal(client, command.channel_id);
          const place = { external, shareable: !external && !command.channel_id.startsWith('D'), shared: false };
          return await answer(await (cmd.kind === 'company' ? companyAnswer : lookupAnswer)(r, cmd.query, place));
        }
      }
    } catch (e) {
      const reason = e instanceof BackendError ? e.message : String((e as Error).message ?? e);
      await answer(errorBlocks(r.locale, reason));
      if (!(e instanceof BackendError && e.status < 500)) throw e;
    }
  });
}
