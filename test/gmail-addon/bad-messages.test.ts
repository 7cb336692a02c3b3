import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gmailEvent } from './support/run-addon.js';
import { addonAgainstBackend, mail, SAM, shownCard, texts } from './addon-kit.js';

/** The backend's JSON body limit (backend/app.ts MAX_BODY_BYTES). */
const LIMIT = 1024 * 1024;
const JANE = '00000000-0000-4000-8000-000000000c01';

/**
 * Messages from the wild in the built add-on, against the real backend: no
 * From, 500 recipients with long names, a 5 MB body, a thread of long emails.
 * Each gives a sensible card or notification, never an exception, and every
 * request the add-on sends stays under the backend's 1 MB limit.
 */
describe('the Gmail add-on on messages from the wild', () => {
  let kit: Awaited<ReturnType<typeof addonAgainstBackend>>;
  beforeAll(async () => {
    kit = await addonAgainstBackend();
  }, 60_000);
  afterAll(async () => {
    await kit?.stop();
  });

  const sent = (addon: any) =>
    addon.fakes.recorded.fetches.map((f: any) => ({
      path: new URL(f.url).pathname,
      bytes: Buffer.byteLength(String(f.payload ?? '')),
      json: f.payload ? JSON.parse(String(f.payload)) : null,
    }));
  const open = (addon: any, m: { id: string; threadId: string }) =>
    addon.call('onGmailMessageOpen', gmailEvent({ messageId: m.id, threadId: m.threadId, userLocale: 'en' }));
  const act = (addon: any, fn: string, m: { id: string; threadId: string }) =>
    addon.call(fn, gmailEvent({ messageId: m.id, threadId: m.threadId, userLocale: 'en' }));

  it('no From: the card shows the other people; logging says why it cannot, without calling /api/gmail/log', () => {
    for (const from of ['', 'undisclosed-recipients:;', 'not an address']) {
      const m = mail({ from, to: `Olivia Stone <olivia@stone-robotics.example>, ${SAM}`, subject: 'No sender' });
      const { addon } = kit.as(SAM, [m]);
      const cards = open(addon, m);
      expect(cards.map((c: any) => c.header.title)).toEqual(['Olivia Stone']);
      for (const fn of ['logThisEmail', 'logWholeThread']) {
        const res = act(addon, fn, m);
        expect(res.notification.text).toBe('This email has no sender Rapport can read, so it cannot be logged.');
      }
      expect(sent(addon).map((s: any) => s.path)).toEqual(['/api/gmail/context']);
    }
    // a Japanese rep reads it in Japanese
    const m = mail({ from: '', to: 'olivia@stone-robotics.example' });
    const { addon } = kit.as(SAM, [m]);
    expect(addon.call('logThisEmail', gmailEvent({ messageId: m.id, threadId: m.threadId, userLocale: 'ja' })).notification.text).toBe(
      'このメールには読み取れる差出人がないため、記録できません。',
    );
  });

  it('500 in To and 500 in Cc with 300-character names: ten cards and a count, logged with everyone, each request under 1 MB', async () => {
    const long = (i: number) => `"${'名'.repeat(290)} ${i}" <guest${i}@partner-${i % 5}.example>`;
    const to = [SAM, ...Array.from({ length: 499 }, (_, i) => long(i))].join(', ');
    const cc = Array.from({ length: 500 }, (_, i) => long(500 + i)).join(', ');
    const m = mail({ from: 'Jane Doe <jane@acme.com>', to, cc, subject: 'Conference' });
    const { addon } = kit.as(SAM, [m]);
    const cards = open(addon, m);
    expect(cards).toHaveLength(11);
    expect(cards[0].header.title).toBe('Jane Doe');
    expect(cards[10].header.title).toBe('990 more people on this email are not shown.');

    const res = act(addon, 'logThisEmail', m);
    expect(res.notification.text).toBe('Logged to Rapport.');
    expect(texts(shownCard(res)).join('\n')).toMatch(/Logged by Sam Carter/);
    const requests = sent(addon);
    expect(requests.map((s: any) => s.path)).toEqual(['/api/gmail/context', '/api/gmail/log', '/api/gmail/context']);
    for (const r of requests) expect(r.bytes).toBeLessThan(LIMIT);
    // the names did not fit and were left out; every address is there
    const logged = requests[1].json.messages[0];
    expect(logged.to).toHaveLength(500);
    expect(logged.cc).toHaveLength(500);
    const id = (await kit.api(`/api/contacts/${JANE}/timeline?limit=50`)).body.items.find((e: any) => e.interaction?.subject === 'Conference').interaction.id;
    expect((await kit.api(`/api/interactions/${id}`)).body.participants).toHaveLength(1001);
  });

  it('a 5 MB body (and one of 100,000 quoted lines) is trimmed to 20,000 characters and logged quickly', async () => {
    const plain = mail({
      from: 'Jane Doe <jane@acme.com>',
      subject: 'Five megabytes',
      plainBody: `${'Long line of text. '.repeat(52)}\n`.repeat(5_000) + 'x'.repeat(5 * 1024 * 1024 - 5_000 * 989),
    });
    const quoted = mail({
      from: 'Jane Doe <jane@acme.com>',
      subject: 'Quoted forever',
      plainBody: `Short answer.\n${'> an old reply line\n'.repeat(100_000)}and a last line`,
    });
    expect(plain.plainBody.length).toBeGreaterThan(5_000_000);
    const { addon } = kit.as(SAM, [plain, quoted]);
    const started = Date.now();
    for (const m of [plain, quoted]) expect(act(addon, 'logThisEmail', m).notification.text).toBe('Logged to Rapport.');
    expect(Date.now() - started).toBeLessThan(15_000);
    const logs = sent(addon).filter((s: any) => s.path === '/api/gmail/log');
    // quotes followed by more of the person's own text are kept (only a trailing run of quotes is cut), so both reach the cap
    expect(logs.map((l: any) => l.json.messages[0].body.length)).toEqual([20_000, 20_000]);
    for (const l of logs) expect(l.bytes).toBeLessThan(LIMIT);
    expect(logs[0].json.messages[0].body.endsWith('…')).toBe(true);
    expect(logs[1].json.messages[0].body.startsWith('Short answer.\n> an old reply line\n')).toBe(true);
  });

  it('a thread of 100 emails of 20,000 characters each is logged in as many requests as fit under 1 MB, each message once', () => {
    const thread = Array.from({ length: 100 }, (_, i) =>
      mail({
        from: 'Tom Becker <tom.becker@globex.com>',
        threadId: 'wordy',
        headers: { 'Message-ID': `<wordy-${i}@globex.com>` },
        date: new Date(Date.UTC(2026, 9, 1) + i * 3_600_000),
        subject: `Re: spec (${i})`,
        plainBody: `${i} `.padEnd(30_000, 'spec text '),
      }),
    );
    const { addon } = kit.as(SAM, thread);
    const res = act(addon, 'logWholeThread', thread[99]!);
    expect(res.notification.text).toBe('100 of 100 messages logged; the others were already in Rapport.');
    const logs = sent(addon).filter((s: any) => s.path === '/api/gmail/log');
    expect(logs.length).toBeGreaterThan(1);
    for (const l of logs) expect(l.bytes).toBeLessThan(LIMIT);
    expect(logs.flatMap((l: any) => l.json.messages.map((m: any) => m.messageId))).toEqual(thread.map((m) => m.headers['Message-ID']));
  });
});
