import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gmailEvent } from './support/run-addon.js';
import { addonAgainstBackend, KENJI, mail, SAM, texts } from './addon-kit.js';

/**
 * "Someone else is already on it" (issue 19, already_answered): a rep who
 * opens an email a colleague already answered reads who answered and when,
 * in their language, so two people do not answer the same inquiry; the
 * colleague who answered, and an email nobody answered, show no such line.
 */
describe('the Gmail add-on says when a colleague already answered the open email', () => {
  let kit: Awaited<ReturnType<typeof addonAgainstBackend>>;
  beforeAll(async () => {
    kit = await addonAgainstBackend();
  }, 60_000);
  afterAll(async () => {
    await kit?.stop();
  });

  const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);
  const question = mail({
    from: 'Jane Doe <jane@acme.com>',
    to: `Sam Carter <${SAM}>, Kenji Ito <${KENJI}>`,
    headers: { 'Message-ID': '<pricing-question-19@acme.com>' },
    subject: 'Pricing question',
    plainBody: 'Hi both, what would 40 seats cost?',
    date: minutesAgo(30),
  });
  const open = (as: string, locale: string) => {
    const { addon } = kit.as(as, [question]);
    return texts(addon.call('onGmailMessageOpen', gmailEvent({ messageId: question.id, threadId: question.threadId, userLocale: locale }))).join('\n');
  };

  it('names the colleague who replied and how long ago, in English and Japanese, and not to the one who replied', async () => {
    // Sam logs the question; nobody has answered it yet
    const { addon } = kit.as(SAM, [question]);
    const logged = addon.call(
      'logThisEmail',
      gmailEvent({ messageId: question.id, threadId: question.threadId, userLocale: 'en', parameters: { person: 'jane@acme.com' } }),
    );
    expect(logged.notification.text).toBe('Logged to Rapport.');
    expect(open(SAM, 'en')).not.toMatch(/replied|is on it/);

    // Kenji's reply, ten minutes ago, captured into the same thread
    const reply = await kit.api('/api/interactions', {
      method: 'POST',
      body: JSON.stringify({
        kind: 'email',
        source: 'gmail',
        externalId: '<pricing-answer-19@rapport-demo.com>',
        occurredAt: minutesAgo(10).toISOString(),
        subject: 'Re: Pricing question',
        body: '40 seats: see the attached quote.',
        threadKey: 'email-thread:pricing-question-19@acme.com',
        participants: [
          { role: 'from', email: KENJI },
          { role: 'to', email: 'jane@acme.com' },
        ],
      }),
    });
    expect(reply.status).toBe(201);

    expect(open(SAM, 'en')).toContain('伊藤 健二 replied 10 minutes ago');
    expect(open(SAM, 'ja')).toContain('伊藤 健二 さんが10分前に返信しました');
    expect(open(SAM, 'zh')).toContain('伊藤 健二 10分钟前已回复');
    // Kenji himself is told nothing new
    expect(open(KENJI, 'en')).not.toMatch(/replied|is on it/);
  });
});
