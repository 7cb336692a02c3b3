import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signSlackRequest } from '../../slack-app/signature.js';
import { gmailEvent } from './support/run-addon.js';
import { actionsOf, addonAgainstBackend, KENJI, mail, SAM, shownCard, texts } from './addon-kit.js';

const JANE = '00000000-0000-4000-8000-000000000c01';

describe('the Gmail add-on on an open email, against the real backend', () => {
  let kit: Awaited<ReturnType<typeof addonAgainstBackend>>;
  beforeAll(async () => {
    kit = await addonAgainstBackend();
  }, 60_000);
  afterAll(async () => {
    await kit?.stop();
  });

  const fromJane = mail({
    from: 'Jane Doe <jane@acme.com>',
    to: `Sam Carter <${SAM}>`,
    cc: `michael.chen@acme.com, Kenji Ito <${KENJI}>`,
    headers: { 'Message-ID': '<renewal-2026@acme.com>' },
    subject: 'Renewal quote for 2027',
    plainBody:
      'Hi Sam,\nCould you send the renewal quote?\n\nOn Thu, Nov 19, 2026 at 9:00 AM Sam Carter <sam.carter@rapport-demo.com> wrote:\n> Happy to help.',
    attachments: [{ name: 'requirements.xlsx', size: 2048, contentType: 'application/vnd.ms-excel' }],
  });

  it('shows a card per customer on the email, sender first, colleagues left out, from one backend call', () => {
    const { addon } = kit.as(SAM, [fromJane]);
    const cards = addon.call('onGmailMessageOpen', gmailEvent({ messageId: fromJane.id, threadId: fromJane.threadId, userLocale: 'en' }));
    expect(cards.map((c: any) => c.header.title)).toEqual(['Jane Doe', 'Michael Chen']);
    expect(addon.fakes.recorded.fetches.map((f: any) => `${f.method} ${new URL(f.url).pathname}`)).toEqual(['POST /api/gmail/context']);
    const jane = texts(cards[0]);
    for (const label of [
      'Company',
      'Stage',
      'Owner',
      'Last interaction',
      'Open follow-ups',
      'Latest',
      'This email is not in Rapport yet.',
      'Log this email',
      'Log whole thread',
      'Edit',
      'Add follow-up',
      'Add note',
    ]) {
      expect(jane).toContain(label);
    }
    expect(jane.join('\n')).not.toContain(KENJI);
    addon.assertActionsExist(cards);
  });

  it('welcomes, once and in their language, a person who joined by opening the add-on under the domains policy', async () => {
    const policy = await kit.api('/api/workspace', { method: 'PATCH', body: JSON.stringify({ joinPolicy: 'domains', joinDomains: ['rapport-demo.com'] }) });
    expect(policy.status).toBe(200);
    try {
      const NEW = 'nana.new@rapport-demo.com';
      const message = { ...fromJane, id: 'nana-copy', threadId: 'nana-thread' };
      const { addon } = kit.as(NEW, [message]);
      const open = () => addon.call('onGmailMessageOpen', gmailEvent({ messageId: message.id, threadId: message.threadId, userLocale: 'ja' }));
      const first = texts(open()).join('\n');
      expect(first).toContain('ようこそ。Rapport の Rapport Demo に参加しました（役割: 営業担当）');
      expect(addon.fakes.recorded.fetches.map((f: any) => `${f.method} ${new URL(f.url).pathname}`)).toEqual([
        'POST /api/gmail/context',
        'POST /api/me/welcome',
      ]);
      expect(texts(open()).join('\n')).not.toContain('ようこそ');
      const team = await kit.api('/api/members');
      expect(team.body.items.find((m: any) => m.email === NEW)).toMatchObject({ role: 'rep', joinedVia: 'google' });
    } finally {
      await kit.api('/api/workspace', { method: 'PATCH', body: JSON.stringify({ joinPolicy: 'invite' }) });
    }
  });

  it('logs the email once, readable through the API and in Slack, however many reps log it', async () => {
    const { addon } = kit.as(SAM, [fromJane]);
    const event = gmailEvent({
      messageId: fromJane.id,
      threadId: fromJane.threadId,
      userLocale: 'en',
      parameters: { person: 'jane@acme.com' },
    });
    const res = addon.call('logThisEmail', event);
    expect(res.notification.text).toBe('Logged to Rapport.');
    expect(texts(shownCard(res)).join('\n')).toMatch(/Logged by Sam Carter/);

    // Kenji has the same email (same Message-ID, his own Gmail ids) and logs it too
    const his = { ...fromJane, id: 'kenji-copy', threadId: 'kenji-thread' };
    const kenji = kit.as(KENJI, [his]).addon;
    const again = kenji.call('logThisEmail', gmailEvent({ messageId: his.id, threadId: his.threadId, userLocale: 'en' }));
    expect(again.notification.text).toBe('Already in Rapport (logged by Sam Carter).');
    // Jane's history on the card says who logged it: both of them
    expect(texts(shownCard(again)).join('\n')).toMatch(/Email · .* · logged by Sam Carter, 伊藤 健二/);

    const timeline = await kit.api(`/api/contacts/${JANE}/timeline?limit=50`);
    const logged = timeline.body.items.filter((e: any) => e.interaction?.subject === 'Renewal quote for 2027');
    expect(logged).toHaveLength(1);
    const full = await kit.api(`/api/interactions/${logged[0].interaction.id}`);
    expect(full.body).toMatchObject({ kind: 'email', direction: 'inbound', source: 'gmail', externalId: '<renewal-2026@acme.com>' });
    expect(full.body.body).toBe('Hi Sam,\nCould you send the renewal quote?\n📎 requirements.xlsx');
    expect(full.body.participants.map((p: any) => p.email).sort()).toEqual(['jane@acme.com', KENJI, 'michael.chen@acme.com', SAM].sort());

    // the same email in Slack's answer to /crm jane@acme.com
    const form = new URLSearchParams({
      team_id: 'T0DEMO',
      channel_id: 'C0GENERAL',
      user_id: 'U0DEMOSAM',
      command: '/crm',
      text: 'jane@acme.com',
      response_url: `${kit.backend.fetcher.standInUrl}/respond`,
      trigger_id: '1.2.3',
    }).toString();
    await kit.backend.fetcher.clearStandInRequests();
    const slack = await fetch(`${kit.backend.url}/slack/events`, {
      method: 'POST',
      body: form,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...signSlackRequest(kit.backend.slackSecret, form, Math.floor(Date.now() / 1000)),
      },
    });
    expect(slack.status).toBe(200);
    let answer: any;
    for (let i = 0; i < 100 && !answer; i++) {
      answer = (await kit.backend.fetcher.standInRequests()).find((r: any) => r.path === '/respond');
      if (!answer) await new Promise((r) => setTimeout(r, 50));
    }
    expect(JSON.stringify(JSON.parse(answer.body).blocks)).toContain('Renewal quote for 2027');
    expect(JSON.stringify(JSON.parse(answer.body).blocks)).toContain('logged by Sam Carter, 伊藤 健二');
  });

  it('logs a whole thread in one backend call, each message once, replies trimmed', async () => {
    const root = mail({
      from: 'Priya N <priya.n@globex.com>',
      headers: { 'Message-ID': '<t-root@globex.com>' },
      subject: 'Pilot',
      plainBody: 'Can we start a pilot?',
      threadId: 'pilot',
    });
    const reply = mail({
      from: `Sam Carter <${SAM}>`,
      to: 'priya.n@globex.com',
      threadId: 'pilot',
      subject: 'Re: Pilot',
      headers: { 'Message-ID': '<t-reply@rapport-demo.com>', References: '<t-root@globex.com>', 'In-Reply-To': '<t-root@globex.com>' },
      plainBody: 'Yes, from December.\n\n2026年11月20日(金) 10:00 Priya N <priya.n@globex.com>:\n> Can we start a pilot?',
    });
    const { addon } = kit.as(SAM, [root, reply]);
    const res = addon.call('logWholeThread', gmailEvent({ messageId: reply.id, threadId: 'pilot', userLocale: 'en' }));
    expect(res.notification.text).toBe('2 of 2 messages logged; the others were already in Rapport.');
    expect(addon.fakes.recorded.fetches.filter((f: any) => f.url.endsWith('/api/gmail/log'))).toHaveLength(1);
    const again = addon.call('logWholeThread', gmailEvent({ messageId: reply.id, threadId: 'pilot', userLocale: 'en' }));
    expect(again.notification.text).toBe('0 of 2 messages logged; the others were already in Rapport.');
    const tl = await kit.api('/api/contacts/00000000-0000-4000-8000-000000000c03/timeline?limit=50');
    const pilot = tl.body.items.filter((e: any) => /Pilot/.test(e.interaction?.subject ?? ''));
    expect(pilot.map((e: any) => e.interaction.direction).sort()).toEqual(['inbound', 'outbound']);
    expect(new Set(pilot.map((e: any) => e.interaction.threadKey)).size).toBe(1);
    expect(pilot.find((e: any) => e.interaction.direction === 'outbound').interaction.snippet).toBe('Yes, from December.');
  });

  it('a thread of 120 messages logs its latest 100 in one backend call and says so', async () => {
    const thread = Array.from({ length: 120 }, (_, i) =>
      mail({
        from: i % 2 ? `Sam Carter <${SAM}>` : 'Tom Becker <tom.becker@globex.com>',
        to: i % 2 ? 'tom.becker@globex.com' : SAM,
        threadId: 'long',
        headers: { 'Message-ID': `<long-${i}@globex.com>`, ...(i ? { References: '<long-0@globex.com>' } : {}) },
        date: new Date(Date.UTC(2026, 9, 1) + i * 3_600_000),
        subject: `Re: rollout (${i})`,
      }),
    );
    const { addon } = kit.as(SAM, thread);
    const res = addon.call('logWholeThread', gmailEvent({ messageId: thread[119]!.id, threadId: 'long', userLocale: 'en' }));
    expect(res.notification.text).toBe(
      '100 of 100 messages logged; the others were already in Rapport. Only the latest 100 messages of this thread were logged.',
    );
    const logs = addon.fakes.recorded.fetches.filter((f: any) => f.url.endsWith('/api/gmail/log'));
    expect(logs).toHaveLength(1);
    expect(JSON.parse(String(logs[0]!.payload)).messages.map((m: any) => m.messageId)[0]).toBe('<long-20@globex.com>');
  });

  it('offers Create contact for an unknown sender, prefilled (no company from free mail), then shows the contact', async () => {
    const unknown = mail({ from: '"Olivia Stone" <olivia@stone-robotics.example>', cc: 'max.free@gmail.com', subject: 'Intro' });
    const { addon } = kit.as(SAM, [unknown]);
    const cards = addon.call('onGmailMessageOpen', gmailEvent({ messageId: unknown.id, threadId: unknown.threadId, userLocale: 'en' }));
    const inputs = (card: any) => card.sections.flatMap((s: any) => s.widgets).filter((w: any) => w.type === 'TextInput');
    expect(Object.fromEntries(inputs(cards[0]).map((w: any) => [w.fieldName, w.value]))).toEqual({
      name: 'Olivia Stone',
      email: 'olivia@stone-robotics.example',
      company: 'Stone-robotics',
      title: '',
    });
    expect(Object.fromEntries(inputs(cards[1]).map((w: any) => [w.fieldName, w.value]))).toMatchObject({
      email: 'max.free@gmail.com',
      company: '',
    });
    const saved = addon.call(
      'createContact',
      gmailEvent({
        messageId: unknown.id,
        threadId: unknown.threadId,
        userLocale: 'en',
        parameters: { email: 'olivia@stone-robotics.example' },
        formInputs: { name: 'Olivia Stone', email: 'olivia@stone-robotics.example', company: 'Stone Robotics', title: 'CTO' },
      }),
    );
    expect(saved.notification.text).toBe('Contact saved.');
    const card = shownCard(saved);
    expect(card.header.title).toBe('Olivia Stone');
    expect(texts(card)).toEqual(expect.arrayContaining(['CTO', 'Stone Robotics']));
    // an empty name comes back with the message next to the field
    const bad = addon.call(
      'createContact',
      gmailEvent({
        messageId: unknown.id,
        threadId: unknown.threadId,
        userLocale: 'en',
        parameters: { email: 'max.free@gmail.com' },
        formInputs: { name: '', email: 'max.free@gmail.com' },
      }),
    );
    expect(bad.notification.text).toBe('Please fix the field marked below.');
    expect(texts(shownCard(bad))).toContain('⚠️ Required.');
  });

  it('speaks Japanese with Tokyo dates to a rep whose Gmail is in Japanese', () => {
    const ja = mail({
      from: '"田中 一郎" <tanaka@sakura-mfg.co.jp>',
      subject: 'お見積もりのお願い',
      plainBody: 'お世話になっております。',
    });
    const { addon } = kit.as(SAM, [ja]);
    const [card] = addon.call('onGmailMessageOpen', gmailEvent({ messageId: ja.id, threadId: ja.threadId, userLocale: 'ja', timeZone: 'Asia/Tokyo' }));
    const all = texts(card);
    expect(all).toEqual(expect.arrayContaining(['会社', 'ステージ', '担当者', 'このメールを記録', 'スレッド全体を記録']));
    expect(all.join('\n')).toMatch(/\d{4}\/\d{1,2}\/\d{1,2} \d{1,2}:\d{2}/);
  });

  it('an email with 30 people in cc shows ten cards and says how many more, and logs everyone', async () => {
    const cc = Array.from({ length: 30 }, (_, i) => `"Guest ${i}" <guest${i}@partner-${i % 3}.example>`).join(', ');
    const big = mail({ from: 'Jane Doe <jane@acme.com>', cc, subject: 'All hands' });
    const { addon } = kit.as(SAM, [big]);
    const cards = addon.call('onGmailMessageOpen', gmailEvent({ messageId: big.id, threadId: big.threadId, userLocale: 'en' }));
    expect(cards).toHaveLength(11);
    expect(cards[10].header.title).toBe('21 more people on this email are not shown.');
    addon.call('logThisEmail', gmailEvent({ messageId: big.id, threadId: big.threadId, userLocale: 'en' }));
    const id = (await kit.api(`/api/contacts/${JANE}/timeline?limit=50`)).body.items.find((e: any) => e.interaction?.subject === 'All hands').interaction.id;
    expect((await kit.api(`/api/interactions/${id}`)).body.participants).toHaveLength(32);
  });

  it('an email among colleagues only says there is no customer to show', () => {
    const internal = mail({ from: `Kenji Ito <${KENJI}>`, to: SAM, subject: 'Lunch?' });
    const { addon } = kit.as(SAM, [internal]);
    const cards = addon.call('onGmailMessageOpen', gmailEvent({ messageId: internal.id, threadId: internal.threadId, userLocale: 'en' }));
    expect(cards).toHaveLength(1);
    expect(texts(cards[0])).toContain('Everyone on this email is a colleague, so there is no customer to show.');
    expect(actionsOf(cards).map((a) => a.functionName)).toContain('logThisEmail');
  });
});
