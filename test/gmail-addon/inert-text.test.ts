import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gmailEvent } from './support/run-addon.js';
import { addonAgainstBackend, mail, SAM } from './addon-kit.js';

const H = '<script>alert(1)</script> <!channel> <!here> <@U123ABC> @channel <https://evil.example|click> &amp; *bold* `code` \u202Egnp.exe';

/** Every field of a card tree Gmail renders as simple HTML, with where it is. */
function formatted(data: unknown, at = ''): [string, string][] {
  if (Array.isArray(data)) return data.flatMap((d, i) => formatted(d, `${at}[${i}]`));
  if (!data || typeof data !== 'object') return [];
  const d = data as Record<string, unknown>;
  const own: [string, string][] = [];
  if (d.type === 'TextParagraph' || d.type === 'DecoratedText') {
    for (const k of ['text', 'topLabel', 'bottomLabel']) if (typeof d[k] === 'string') own.push([`${at}.${k}`, d[k] as string]);
  }
  return [...own, ...Object.entries(d).flatMap(([k, v]) => formatted(v, `${at}.${k}`))];
}
const unescapeHtml = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/**
 * Text a person typed (a contact's name, title, company, a note, a follow-up)
 * shows in the add-on's cards exactly as typed: Gmail renders paragraphs and
 * decorated text as simple HTML, so '<' and '&' arrive escaped; the API gives
 * the text back as stored.
 */
describe('stored text in the Gmail add-on is inert', () => {
  let kit: Awaited<ReturnType<typeof addonAgainstBackend>>;
  let id: string;
  beforeAll(async () => {
    kit = await addonAgainstBackend();
    const made = await kit.api('/api/contacts', {
      method: 'POST',
      body: JSON.stringify({ name: H, title: H, emails: ['mallory@evil-corp.example'], company: { name: H, domain: 'evil-corp.example' } }),
    });
    expect(made.status).toBe(201);
    id = made.body.id;
    const note = await kit.api('/api/interactions', {
      method: 'POST',
      body: JSON.stringify({
        kind: 'note',
        source: 'api',
        externalId: 'inert-note-1',
        occurredAt: '2026-11-20T00:00:00Z',
        subject: H,
        body: H,
        participants: [{ role: 'about', contactId: id }],
      }),
    });
    expect(note.status).toBeLessThan(300);
    const fu = await kit.api('/api/follow-ups', {
      method: 'POST',
      body: JSON.stringify({ contactId: id, dueAt: '2026-11-20T00:00:00Z', note: H }),
    });
    expect(fu.status).toBe(201);
  }, 60_000);
  afterAll(async () => {
    await kit?.stop();
  });

  it('the API returns the text exactly as stored', async () => {
    const c = (await kit.api(`/api/contacts/${id}`)).body;
    expect([c.name, c.title, c.company.name]).toEqual([H, H, H]);
    const tl = (await kit.api(`/api/contacts/${id}/timeline?limit=50`)).body.items;
    expect(tl.find((e: any) => e.interaction)?.interaction.subject).toBe(H);
  });

  it('the card of an email from that contact escapes every formatted field, and plain fields keep the text', () => {
    const m = mail({ from: `"${H.replace(/"/g, '')}" <mallory@evil-corp.example>`, subject: H, plainBody: H });
    const { addon } = kit.as(SAM, [m]);
    const cards = addon.call('onGmailMessageOpen', gmailEvent({ messageId: m.id, threadId: m.threadId, userLocale: 'en' }));
    expect(cards[0].header.title).toBe(H);
    const fields = formatted(cards);
    const shown = fields.map(([, v]) => unescapeHtml(v));
    // the title, the company, the note and the follow-up all read as typed once Gmail unescapes them
    expect(shown.filter((s) => s.includes(H)).length).toBeGreaterThanOrEqual(4);
    for (const [where, value] of fields) {
      expect(value, where).not.toMatch(/<|>/);
      expect(value.replace(/&(amp|lt|gt);/g, ''), where).not.toContain('&');
    }
  });
});
