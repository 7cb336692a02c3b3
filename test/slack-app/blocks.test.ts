import { describe, expect, it } from 'vitest';
import type { KnownBlock } from '@slack/types';
import {
  assertMessageLimits,
  contactCardBlocks,
  contactPickerBlocks,
  errorBlocks,
  followUpListBlocks,
  helpBlocks,
  noMatchBlocks,
  type CardOptions,
  type ContactCardInput,
  type ContactSummary,
  type FollowUpData,
} from '../../slack-app/contacts/contact-card.js';
import type { Interaction } from '../../backend/interactions/schemas.js';
import { formatDate, mrkdwnEscape, relativeDay, truncate } from '../../slack-app/format.js';
import { LOCALES, slackMessageParts, slackMessages, st } from '../../slack-app/i18n/index.js';
import { ACTIONS } from '../../slack-app/ids.js';

const NOW = '2026-11-24T00:00:00Z'; // Tue 09:00 in Tokyo
const CONTACT_ID = '0b5c2f4e-1d2a-4e3b-9c8d-7a6b5c4d3e2f';

function detail(over: Partial<ContactCardInput> = {}): ContactCardInput {
  return {
    id: CONTACT_ID,
    name: 'Jane Tanaka',
    title: 'CTO',
    phone: null,
    emails: ['jane@acme.co.jp'],
    company: { id: 'c0000000-0000-4000-8000-000000000001', name: 'Acme KK', domain: 'acme.co.jp' },
    stage: 'customer',
    owner: { id: 'm0000000-0000-4000-8000-000000000001', name: 'Ken Sato', email: 'ken@rapport.test' },
    lastInteractionAt: '2026-11-20T01:30:00Z',
    openFollowUps: [],
    timeline: [],
    ...over,
  };
}

function interaction(n: number, over: Partial<Interaction> = {}) {
  const at = new Date(Date.parse(NOW) - n * 3_600_000).toISOString();
  const entry: Interaction = {
    id: `i${n}`,
    kind: 'email',
    direction: 'inbound',
    occurredAt: at,
    subject: `Subject ${n}`,
    body: null,
    snippet: `Snippet ${n}`,
    source: 'gmail',
    externalId: `<m${n}@acme.co.jp>`,
    threadKey: null,
    url: null,
    visibility: 'workspace',
    author: null,
    participants: [],
    capturedBy: [],
    createdAt: at,
    editedAt: null,
    ...over,
  };
  return { type: 'interaction' as const, at, interaction: entry };
}

function followUp(id: string, dueAt: string, over: Partial<FollowUpData> = {}): FollowUpData {
  return {
    id,
    contact: { id: CONTACT_ID, name: `Contact of ${id}`, company: 'Acme KK' },
    owner: { id: 'm1', name: 'Ken Sato', email: 'ken@rapport.test' },
    dueAt,
    note: null,
    status: 'open',
    sourceInteractionId: null,
    createdBy: null,
    createdAt: '2026-11-01T00:00:00Z',
    completedAt: null,
    completedBy: null,
    ...over,
  };
}

const en: CardOptions = { locale: 'en', timeZone: 'Asia/Tokyo', now: NOW, external: false, shareable: true };

/** Every piece of mrkdwn or plain text in the blocks, as Slack would read it. */
function texts(blocks: KnownBlock[]): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if ((o.type === 'mrkdwn' || o.type === 'plain_text') && typeof o.text === 'string') out.push(o.text);
      else Object.values(o).forEach(walk);
    }
  };
  walk(blocks);
  return out;
}

function sectionTexts(blocks: KnownBlock[]): string[] {
  return blocks.flatMap((b) => (b.type === 'section' ? [b.text?.text ?? '', ...(b.fields ?? []).map((f) => f.text)] : []));
}

function buttons(blocks: KnownBlock[]) {
  return blocks.flatMap((b) => {
    if (b.type === 'actions') return b.elements.flatMap((e) => (e.type === 'button' ? [e] : []));
    if (b.type === 'section' && b.accessory?.type === 'button') return [b.accessory];
    return [];
  });
}

describe('contact card', () => {
  it('shows a contact in English with its fields, history and buttons', () => {
    const card = contactCardBlocks(
      detail({
        openFollowUps: [followUp('f1', '2026-11-23T00:00:00Z', { note: 'Send the quote' })],
        timeline: [interaction(1, { subject: 'Re: pricing', snippet: 'Thanks for the quote' })],
      }),
      { ...en, publicUrl: 'https://rapport.example.com/' },
    );
    assertMessageLimits(card.blocks);
    const all = texts(card.blocks).join('\n');
    expect(card.blocks[0]).toMatchObject({ type: 'header', text: { text: 'Jane Tanaka · CTO · Acme KK' } });
    for (const s of ['*Stage*\nCustomer', '*Owner*\nKen Sato', '*Emails*\njane@acme.co.jp', '*Last interaction*', 'Fri, Nov 20, 2026', '4 days ago']) {
      expect(all).toContain(s);
    }
    expect(all).toContain(':warning: *overdue* · due yesterday');
    expect(all).toContain('Send the quote');
    expect(all).toContain(':email: *Re: pricing*');
    expect(all).toContain('Email · inbound');
    expect(card.text).toBe('Jane Tanaka · CTO · Acme KK · Customer');

    const bs = buttons(card.blocks);
    expect(bs.map((b) => b.text.text)).toEqual(['Edit', 'Add note', 'Add follow-up', 'Log call', 'More history', 'New deal', 'Share', 'Open in Rapport']);
    expect(bs.map((b) => b.action_id)).toEqual([
      ACTIONS.edit,
      ACTIONS.addNote,
      ACTIONS.addFollowUp,
      ACTIONS.logCall,
      ACTIONS.moreHistory,
      ACTIONS.dealNew,
      ACTIONS.share,
      ACTIONS.openInRapport,
    ]);
    // New deal carries the person and their company, to prefill the modal; the others the contact id
    expect(bs.filter((b) => b.action_id !== ACTIONS.dealNew).every((b) => b.value === CONTACT_ID)).toBe(true);
    expect(JSON.parse(bs.find((b) => b.action_id === ACTIONS.dealNew)?.value ?? '')).toMatchObject({ contactId: CONTACT_ID });
    expect(bs.at(-1)?.url).toBe(`https://rapport.example.com/c/${CONTACT_ID}`);
  });

  it('has no Share button unless shareable, and says "none yet" for what is missing', () => {
    const card = contactCardBlocks(detail({ emails: [], owner: null, lastInteractionAt: null }), { ...en, shareable: false });
    expect(buttons(card.blocks).map((b) => b.action_id)).not.toContain(ACTIONS.share);
    const all = texts(card.blocks).join('\n');
    expect(all).toContain('*Emails*\nnone yet');
    expect(all).toContain('*Owner*\nunassigned');
    expect(all).toContain('*Open follow-ups*\nnone yet');
  });

  it('shows a contact in Japanese with Japanese labels and dates', () => {
    const card = contactCardBlocks(
      detail({
        name: '田中 花子',
        stage: 'prospect',
        timeline: [interaction(2, { kind: 'call', direction: 'outbound', subject: null, snippet: '見積もりの件' })],
      }),
      { ...en, locale: 'ja' },
    );
    assertMessageLimits(card.blocks);
    const all = texts(card.blocks).join('\n');
    for (const s of ['*ステージ*\n見込み客', '*担当者*', '*メールアドレス*', '*最終接点*', '2026年11月20日(金) 10:30', '4 日前', '最近の履歴']) {
      expect(all).toContain(s);
    }
    expect(all).toContain(':telephone_receiver: *見積もりの件*');
    expect(all).toContain('電話 · 送信');
    expect(buttons(card.blocks).map((b) => b.text.text)).toEqual([
      '編集',
      'メモを追加',
      'フォローアップを追加',
      '通話を記録',
      '履歴をもっと見る',
      '新しい案件',
      '共有',
    ]);
  });

  it('escapes stored text so it can neither link nor ping', () => {
    const card = contactCardBlocks(
      detail({
        timeline: [interaction(1, { subject: '<script>alert(1)</script> Q&A <!channel> @here <@U012AB3CD>', snippet: 'hi @everyone' })],
      }),
      en,
    );
    const history = sectionTexts(card.blocks).find((t) => t.startsWith(':email:')) ?? '';
    expect(history).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Q&amp;A &lt;!channel&gt; @\u200dhere &lt;@U012AB3CD&gt;');
    expect(history).toContain('hi @\u200deveryone');
    const json = JSON.stringify(card);
    for (const raw of ['<script>', '<!channel>', '@here', '@everyone', '<@U012AB3CD>', 'Q&A']) expect(json).not.toContain(raw);
  });

  it('cuts a 10,000-character body and subject to fit a section', () => {
    const long = 'あ'.repeat(5_000) + '😀'.repeat(2_500);
    const card = contactCardBlocks(detail({ timeline: [interaction(1, { subject: long, snippet: long, body: long })] }), en);
    assertMessageLimits(card.blocks);
    const history = sectionTexts(card.blocks).find((t) => t.startsWith(':email:')) ?? '';
    expect(history.length).toBeLessThan(3_000);
    expect(history).toContain('…');
    for (const t of sectionTexts(card.blocks)) expect(t.length).toBeLessThanOrEqual(3_000);
    // no half emoji left behind
    expect(history).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
  });

  it('stays within 50 blocks with 200 timeline entries, whatever limit is asked for', () => {
    const timeline = Array.from({ length: 200 }, (_, n) => interaction(n));
    const openFollowUps = Array.from({ length: 30 }, (_, n) => followUp(`f${n}`, '2026-12-01T00:00:00Z'));
    for (const timelineLimit of [undefined, 10, 200]) {
      const card = contactCardBlocks(detail({ timeline, openFollowUps, title: 'x'.repeat(300) }), {
        ...en,
        ...(timelineLimit ? { timelineLimit } : {}),
      });
      expect(card.blocks.length).toBeLessThanOrEqual(50);
      assertMessageLimits(card.blocks);
    }
    const card = contactCardBlocks(detail({ timeline, openFollowUps }), en);
    expect(texts(card.blocks).join('\n')).toContain('…and 25 more');
  });

  it('shows nothing from the CRM in a channel with outsiders', () => {
    const card = contactCardBlocks(
      detail({ openFollowUps: [followUp('f1', NOW, { note: 'secret plan' })], timeline: [interaction(1, { subject: 'secret subject' })] }),
      { ...en, external: true, publicUrl: 'https://rapport.example.com' },
    );
    const json = JSON.stringify(card);
    for (const s of ['Jane', 'Tanaka', 'jane@acme.co.jp', 'Acme', 'CTO', 'Ken Sato', 'secret', 'Customer']) expect(json).not.toContain(s);
    expect(card.blocks).toHaveLength(1);
    expect(card.text).toBe(st('en', 'external_channel'));
    expect(buttons(card.blocks)).toEqual([expect.objectContaining({ action_id: ACTIONS.openInRapport, url: `https://rapport.example.com/c/${CONTACT_ID}` })]);
  });
});

describe('lists and other messages', () => {
  const contacts: ContactSummary[] = Array.from({ length: 12 }, (_, n) => ({
    id: `00000000-0000-4000-8000-0000000000${String(n).padStart(2, '0')}`,
    name: `Tanaka ${n}`,
    title: null,
    emails: [`tanaka${n}@acme.co.jp`],
    company: null,
    stage: 'lead',
  }));

  it('lets one pick among matches and says how many more there are', () => {
    const picker = contactPickerBlocks(contacts, 'tanaka', 'en', 23);
    assertMessageLimits(picker.blocks);
    const picks = buttons(picker.blocks);
    expect(picks).toHaveLength(10);
    expect(picks.every((b) => b.action_id === ACTIONS.pickContact && b.text.text === 'Pick')).toBe(true);
    expect(picks[0]?.value).toBe(contacts[0]?.id);
    const all = texts(picker.blocks).join('\n');
    expect(all).toContain('23 contacts match “tanaka”; pick one.');
    expect(all).toContain('…and 13 more');
    expect(contactPickerBlocks(contacts.slice(0, 3), 'tanaka', 'zh').text).toBe('有 3 个联系人与“tanaka”匹配，请选择一个。');
  });

  it('offers to create the contact when nothing matches', () => {
    const m = noMatchBlocks('Jane <Doe>', 'ja');
    expect(m.text).toBe('「Jane &lt;Doe&gt;」に一致する連絡先はありません。');
    expect(buttons(m.blocks)).toEqual([
      expect.objectContaining({
        action_id: ACTIONS.createContact,
        value: 'Jane <Doe>',
        text: expect.objectContaining({ text: '連絡先を作成' }),
      }),
    ]);
  });

  it('lists follow-ups overdue first, each with buttons carrying its id', () => {
    const items = [
      followUp('later', '2026-11-30T00:00:00Z'),
      followUp('done', '2026-11-01T00:00:00Z', { status: 'done' }),
      followUp('overdue-recent', '2026-11-23T00:00:00Z'),
      followUp('soon', '2026-11-25T00:00:00Z', { note: 'Call <!here> back' }),
      followUp('overdue-old', '2026-11-10T00:00:00Z'),
    ];
    const list = followUpListBlocks(items, { locale: 'en', timeZone: 'Asia/Tokyo', now: NOW });
    assertMessageLimits(list.blocks);
    const order = list.blocks.flatMap((b) => (b.type === 'actions' ? [b.elements[0] && 'value' in b.elements[0] ? b.elements[0].value : ''] : []));
    expect(order).toEqual(['overdue-old', 'overdue-recent', 'soon', 'later']);
    for (const b of list.blocks.filter((b) => b.type === 'actions')) {
      const [done, day, week] = buttons([b]);
      expect([done?.action_id, day?.action_id, week?.action_id]).toEqual([ACTIONS.followUpDone, ACTIONS.followUpSnooze1d, ACTIONS.followUpSnooze1w]);
      expect(new Set([done?.value, day?.value, week?.value]).size).toBe(1);
    }
    const all = texts(list.blocks).join('\n');
    expect(all).toContain('Open follow-ups (4)');
    expect(all).toContain('*Contact of overdue-old* · Acme KK\n:warning: *overdue* · due 14 days ago');
    expect(all).toContain('due tomorrow (Wed, Nov 25, 2026, 9:00');
    expect(all).toContain('Call &lt;!here&gt; back');
  });

  it('lists at most 15 follow-ups, then how many more', () => {
    const items = Array.from({ length: 40 }, (_, n) => followUp(`f${n}`, new Date(Date.parse(NOW) + n * 86_400_000).toISOString()));
    const list = followUpListBlocks(items, { locale: 'zh', timeZone: 'Asia/Shanghai', now: NOW });
    assertMessageLimits(list.blocks);
    expect(list.blocks.filter((b) => b.type === 'actions')).toHaveLength(15);
    expect(texts(list.blocks).join('\n')).toContain('另有 25 项');
    expect(followUpListBlocks([], { locale: 'ja', timeZone: 'Asia/Tokyo', now: NOW }).text).toBe('未完了のフォローアップはありません。');
  });

  it('shows help and errors in the reader’s language', () => {
    const help = texts(helpBlocks('en').blocks).join('\n');
    for (const s of [
      '`/crm &lt;name|email|company|phone&gt;`',
      '`/crm help`',
      '`/crm follow-ups`',
      '`/crm link &lt;company or contact&gt;`',
      '`/crm unlink`',
      '`/crm lang en|ja|zh`',
      'jane@acme.co.jp',
      '田中さんの履歴',
      '*Log to Rapport*',
    ]) {
      expect(help).toContain(s);
    }
    expect(texts(helpBlocks('ja').blocks).join('\n')).toContain('連絡先を検索');
    const err = errorBlocks('en', 'the backend said <nope>');
    expect(err.text).toBe('Something went wrong: the backend said &lt;nope&gt;. Nothing was saved.');
    assertMessageLimits(errorBlocks('zh', 'x'.repeat(10_000)).blocks);
  });
});

describe('limits', () => {
  it('throws on each kind of broken limit', () => {
    const button = (text: string, value: string) => ({
      type: 'button' as const,
      action_id: 'a',
      text: { type: 'plain_text' as const, text },
      value,
    });
    expect(() => assertMessageLimits(Array.from({ length: 51 }, () => ({ type: 'divider' as const })))).toThrow(/51 blocks, over 50/);
    expect(() => assertMessageLimits([{ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3_001) } }])).toThrow(/over 3000/);
    expect(() => assertMessageLimits([{ type: 'header', text: { type: 'plain_text', text: 'x'.repeat(151) } }])).toThrow(/over 150/);
    expect(() => assertMessageLimits([{ type: 'actions', elements: [button('x'.repeat(76), 'v')] }])).toThrow(/over 75/);
    expect(() => assertMessageLimits([{ type: 'actions', elements: [button('ok', 'v'.repeat(2_001))] }])).toThrow(/over 2000/);
    expect(() =>
      assertMessageLimits([
        { type: 'section', block_id: 'b', text: { type: 'mrkdwn', text: 'a' } },
        { type: 'divider', block_id: 'b' },
      ]),
    ).toThrow(/used twice/);
    expect(() => assertMessageLimits([{ type: 'section', text: { type: 'mrkdwn', text: 'fine' }, accessory: button('ok', 'v') }])).not.toThrow();
  });
});

describe('format', () => {
  it('escapes, truncates and writes dates per locale', () => {
    expect(mrkdwnEscape('a & b <!everyone> @Channel')).toBe('a &amp; b &lt;!everyone&gt; @\u200dChannel');
    expect(mrkdwnEscape('mail ops@here.example (@here)')).toBe('mail ops@here.example (@\u200dhere)');
    expect(truncate('abc', 3)).toBe('abc');
    expect(truncate('ab😀cd', 4)).toBe('ab…');
    expect(truncate('x'.repeat(10), 5)).toHaveLength(5);
    expect(formatDate(NOW, 'ja', 'Asia/Tokyo')).toBe('2026年11月24日(火) 9:00');
    expect(formatDate(NOW, 'zh', 'Asia/Shanghai')).toBe('2026年11月24日周二 8:00');
    expect(formatDate(NOW, 'en', 'Asia/Tokyo').replace(/\s/g, ' ')).toBe('Tue, Nov 24, 2026, 9:00 AM');
    expect(relativeDay('2026-11-24T14:59:00Z', NOW, 'en', 'Asia/Tokyo')).toBe('today');
    expect(relativeDay('2026-11-24T15:00:00Z', NOW, 'en', 'Asia/Tokyo')).toBe('tomorrow');
    expect(relativeDay('2026-11-23T00:00:00Z', NOW, 'zh', 'Asia/Tokyo')).toBe('昨天');
    expect(relativeDay('2026-11-27T00:00:00Z', NOW, 'ja', 'Asia/Tokyo')).toBe('3 日後');
  });
});

describe('Slack catalogue', () => {
  const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

  it('no two parts of the catalogue define the same key (a later one would silently win)', () => {
    const seen = new Map<string, string>();
    const clashes: string[] = [];
    for (const [part, entries] of Object.entries(slackMessageParts)) {
      for (const key of Object.keys(entries)) {
        if (seen.has(key)) clashes.push(`${key} in ${seen.get(key)} and ${part}`);
        seen.set(key, part);
      }
    }
    expect(clashes).toEqual([]);
  });

  it.each(Object.keys(slackMessages))('%s exists in English, Japanese and Chinese with the same placeholders', (key) => {
    const entry = slackMessages[key as keyof typeof slackMessages];
    for (const locale of LOCALES) expect(entry[locale].trim().length).toBeGreaterThan(0);
    expect(placeholders(entry.ja)).toEqual(placeholders(entry.en));
    expect(placeholders(entry.zh)).toEqual(placeholders(entry.en));
  });

  it('has every key the Slack app needs', () => {
    const needed = [
      'help_lookup',
      'help_help',
      'help_follow_ups',
      'help_link',
      'help_unlink',
      'help_lang',
      'help_mention',
      'help_shortcut',
      'label_title',
      'label_company',
      'label_stage',
      'label_owner',
      'label_emails',
      'label_last_interaction',
      'label_open_follow_ups',
      'none_yet',
      'stage_lead',
      'stage_prospect',
      'stage_customer',
      'stage_churned',
      'kind_email',
      'kind_slack',
      'kind_call',
      'kind_meeting',
      'kind_note',
      'direction_inbound',
      'direction_outbound',
      'direction_internal',
      'btn_edit',
      'btn_add_note',
      'btn_add_follow_up',
      'btn_log_call',
      'btn_more_history',
      'btn_share',
      'btn_open_in_rapport',
      'btn_create_contact',
      'btn_done',
      'btn_snooze_1d',
      'btn_snooze_1w',
      'btn_pick',
      'no_match',
      'picker_summary',
      'and_more',
      'follow_ups_none',
      'overdue',
      'due',
      'unknown_user',
      'language_set',
      'failure',
      'external_channel',
      'already_logged',
      'logged',
    ];
    expect(needed.filter((k) => !(k in slackMessages))).toEqual([]);
    for (const locale of LOCALES)
      for (const k of Object.keys(slackMessages)) {
        if (k.startsWith('btn_')) expect(st(locale, k as keyof typeof slackMessages).length).toBeLessThanOrEqual(75);
        if (k.startsWith('view_')) expect(st(locale, k as keyof typeof slackMessages).length).toBeLessThanOrEqual(24);
      }
    expect(st('ja', 'unknown_user', { email: 'jane@acme.co.jp' })).toContain('jane@acme.co.jp');
    expect(st('zh', 'language_set', { language: st('zh', 'lang_zh') })).toBe('显示语言已设置为中文。');
  });
});

describe('timeline entries say who logged them', () => {
  const member = (name: string) => ({ member: { id: name, name, email: `${name}@x.test` }, via: 'addon' as const, at: NOW });
  const entry = (capturedBy: Interaction['capturedBy']) =>
    texts(contactCardBlocks(detail({ timeline: [interaction(1, { capturedBy })] }), en).blocks).join('\n');

  it('names up to two members and counts the rest, in the reader language, escaped', () => {
    expect(entry([member('Sam Carter')])).toContain('Email · inbound · logged by Sam Carter');
    expect(entry([member('Sam Carter'), member('Kenji Ito'), member('Aiko'), member('<!channel>')])).toContain('logged by Sam Carter, Kenji Ito +2');
    expect(entry([member('<b>x</b>')])).toContain('logged by &lt;b&gt;x&lt;/b&gt;');
    expect(entry([])).not.toContain('logged by');
    expect(
      texts(contactCardBlocks(detail({ timeline: [interaction(1, { capturedBy: [member('佐藤')] })] }), { ...en, locale: 'ja' }).blocks).join('\n'),
    ).toContain('記録: 佐藤');
  });
});
