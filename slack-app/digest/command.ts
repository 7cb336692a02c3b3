import type { KnownBlock } from '@slack/types';
import { json } from '../backend-client.js';
import type { SlackMessage } from '../contacts/contact-card.js';
import { assertMessageLimits } from '../limits.js';
import { digestBlocks } from './blocks.js';
import { msg, section } from './pieces.js';
import { settingsMessage, statusBlocks } from './status-blocks.js';
import type { Digest, DigestSettings, DigestStatus } from './types.js';
import { truncate } from '../format.js';
import type { RapportContext } from '../identity.js';

/** What `/crm digest …` asks for; 'invalid' says which part was wrong. */
export type DigestCommand =
  | { action: 'preview' }
  | { action: 'enable'; enabled: boolean }
  | { action: 'time'; time: string }
  | { action: 'weekends'; weekends: boolean }
  | { action: 'status' }
  | { action: 'segment'; segment: string | null }
  | { action: 'invalid'; problem: 'time' | 'weekends' | 'unknown'; value: string };

const ON = ['on', 'yes', 'オン', '开', '开启'];
const OFF = ['off', 'no', 'オフ', '关', '关闭'];
const TIME = ['time', 'at', '時刻', '时间'];
const WEEKENDS = ['weekends', 'weekend', '週末', '周末'];
const STATUS = ['status', '状態', '状态'];
const SEGMENT = ['segment', 'セグメント', '分组'];

/**
 * The words after `/crm digest`; full-width digits and colons count ('０８：３０').
 *   parseDigestCommand([]) = { action: 'preview' }
 *   parseDigestCommand(['time', '8:30']) = { action: 'time', time: '08:30' }
 *   parseDigestCommand(['time', '25:00']) = { action: 'invalid', problem: 'time', value: '25:00' }
 *   parseDigestCommand(['weekends', 'maybe']) = { action: 'invalid', problem: 'weekends', value: 'maybe' }
 */
export function parseDigestCommand(words: readonly string[]): DigestCommand {
  const [first = '', second, ...more] = words.map((w) => w.normalize('NFKC').toLowerCase());
  const rest = words.slice(1).join(' ').slice(0, 100);
  if (first === '') return { action: 'preview' };
  if (ON.includes(first) && second === undefined) return { action: 'enable', enabled: true };
  if (OFF.includes(first) && second === undefined) return { action: 'enable', enabled: false };
  if (STATUS.includes(first) && second === undefined) return { action: 'status' };
  if (SEGMENT.includes(first) && second !== undefined) {
    // 'off' clears the scope; anything else names a saved segment (as typed)
    return OFF.includes(second) && !more.length ? { action: 'segment', segment: null } : { action: 'segment', segment: rest };
  }
  if (TIME.includes(first)) {
    const m = /^(\d{1,2}):(\d{2})$/.exec(second ?? '');
    if (!m || more.length || Number(m[1]) > 23 || Number(m[2]) > 59) return { action: 'invalid', problem: 'time', value: rest };
    return { action: 'time', time: `${m[1]!.padStart(2, '0')}:${m[2]}` };
  }
  if (WEEKENDS.includes(first)) {
    if (ON.includes(second ?? '') && !more.length) return { action: 'weekends', weekends: true };
    if (OFF.includes(second ?? '') && !more.length) return { action: 'weekends', weekends: false };
    return { action: 'invalid', problem: 'weekends', value: rest };
  }
  return { action: 'invalid', problem: 'unknown', value: words.join(' ').slice(0, 100) };
}

/** The answer to `/crm digest …`, only to the person who asked. */
export async function digestCommand(r: RapportContext, cmd: DigestCommand): Promise<SlackMessage> {
  const where = { locale: r.locale, timeZone: r.timeZone };
  const patch = async (body: { enabled?: boolean; time?: string; weekends?: boolean }) =>
    settingsMessage((await json(r.api.me.digest.$patch({ json: body }))) as DigestSettings, r.locale);
  switch (cmd.action) {
    case 'preview': {
      const digest = (await json(r.api.me.digest.$get())) as Digest;
      return digestBlocks(digest, { now: r.now().toISOString(), ...(r.publicUrl ? { publicUrl: r.publicUrl } : {}) });
    }
    case 'enable':
      return patch({ enabled: cmd.enabled });
    case 'time':
      return patch({ time: cmd.time });
    case 'weekends':
      return patch({ weekends: cmd.weekends });
    case 'segment': {
      const res = (await json(r.api.me.digest.segment.$put({ json: { segment: cmd.segment } }))) as { segment: { name: string } | null };
      const text = res.segment ? msg(r.locale)('digest_segment_set', { segment: res.segment.name }) : msg(r.locale)('digest_segment_cleared');
      return { text, blocks: [section(text)] };
    }
    case 'status':
      return statusBlocks((await json(r.api.me.digest.status.$get())) as DigestStatus, where);
    case 'invalid':
      return badInput(r, cmd.problem, cmd.value);
  }
}

/** What was wrong with the input, and what would work. */
function badInput(r: RapportContext, problem: 'time' | 'weekends' | 'unknown', value: string): SlackMessage {
  const m = msg(r.locale);
  const shown = truncate(value, 100);
  const first =
    problem === 'time'
      ? m('digest_bad_time', { value: shown })
      : problem === 'weekends'
        ? m('digest_bad_weekends', { value: shown })
        : m('digest_bad_command', { value: shown });
  const usage = (
    ['digest_usage_preview', 'digest_usage_on_off', 'digest_usage_time', 'digest_usage_weekends', 'digest_usage_segment', 'digest_usage_status'] as const
  ).map((k) => `• ${m(k)}`);
  const blocks: KnownBlock[] = [section(`:warning: ${first}`), section(usage.join('\n'))];
  assertMessageLimits(blocks);
  return { text: first, blocks };
}
