import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gmailEvent } from './support/run-addon.js';
import { addonAgainstBackend, mail, SAM, texts } from './addon-kit.js';

const JANE = '00000000-0000-4000-8000-000000000c01';

describe('the Gmail add-on says when the sender looks like a duplicate, against the real backend', () => {
  let kit: Awaited<ReturnType<typeof addonAgainstBackend>>;
  let twin: { id: string; name: string };
  beforeAll(async () => {
    kit = await addonAgainstBackend();
    // the demo's Jane Doe (jane@acme.com) gets a second record from a newsletter sign-up
    const res = await kit.api('/api/contacts', {
      method: 'POST',
      body: JSON.stringify({ name: 'Jane D.', emails: ['jane+events@acme.com'] }),
    });
    expect(res.status).toBe(201);
    twin = res.body;
  }, 60_000);
  afterAll(async () => {
    await kit?.stop();
  });

  const fromJane = mail({ from: 'Jane Doe <jane@acme.com>', to: `Sam Carter <${SAM}>`, cc: 'michael.chen@acme.com', subject: 'Renewal' });

  it('adds one line to that person’s card, in the rep’s language, and none to the others', () => {
    const { addon } = kit.as(SAM, [fromJane]);
    const cards = addon.call('onGmailMessageOpen', gmailEvent({ messageId: fromJane.id, threadId: fromJane.threadId, userLocale: 'en' }));
    expect(cards.map((c: any) => c.header.title)).toEqual(['Jane Doe', 'Michael Chen']);
    const line = 'Possibly the same person as Jane D. (same email). Merge them, or mark them as different people, with /crm duplicates in Slack.';
    expect(texts(cards[0])).toContain(`⚠️ ${line}`);
    expect(texts(cards[1]).join('\n')).not.toContain('Possibly the same person');
    addon.assertActionsExist(cards);

    const ja = kit.as(SAM, [fromJane]).addon.call('onGmailMessageOpen', gmailEvent({ messageId: fromJane.id, threadId: fromJane.threadId, userLocale: 'ja' }));
    expect(texts(ja[0])).toContain(
      '⚠️ Jane D.（同じメールアドレス） と同一人物の可能性があります。Slack の /crm duplicates で統合するか、別人として記録できます。',
    );
    const zh = kit
      .as(SAM, [fromJane])
      .addon.call('onGmailMessageOpen', gmailEvent({ messageId: fromJane.id, threadId: fromJane.threadId, userLocale: 'zh-CN' }));
    expect(texts(zh[0]).join('\n')).toContain('可能与 Jane D.（相同邮箱） 是同一人');
  });

  it('mail from the +tag address shows that contact, and the line names Jane; once dismissed, the line is gone', async () => {
    const fromTwin = mail({ from: 'Jane <jane+events@acme.com>', to: SAM, subject: 'Event' });
    const { addon } = kit.as(SAM, [fromTwin]);
    const cards = addon.call('onGmailMessageOpen', gmailEvent({ messageId: fromTwin.id, threadId: fromTwin.threadId, userLocale: 'en' }));
    expect(cards[0].header.title).toBe('Jane D.');
    expect(texts(cards[0]).join('\n')).toContain('Possibly the same person as Jane Doe (same email).');

    expect((await kit.api('/api/duplicates/dismiss', { method: 'POST', body: JSON.stringify({ a: JANE, b: twin.id }) })).status).toBe(200);
    const again = kit
      .as(SAM, [fromJane])
      .addon.call('onGmailMessageOpen', gmailEvent({ messageId: fromJane.id, threadId: fromJane.threadId, userLocale: 'en' }));
    expect(texts(again[0]).join('\n')).not.toContain('Possibly the same person');
  });
});
