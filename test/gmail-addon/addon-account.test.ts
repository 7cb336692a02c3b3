import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountLine } from '../../gmail-addon/src/account-line.js';
import { gmailEvent } from './support/run-addon.js';
import { addonAgainstBackend, mail, SAM, texts } from './addon-kit.js';

/**
 * The person card's account line (issue 18): the person's company with its
 * open deals counted and summed per currency, in the rep's language, from the
 * Gmail context itself.
 */
describe('the Gmail add-on shows the account line on a person card', () => {
  let kit: Awaited<ReturnType<typeof addonAgainstBackend>>;
  beforeAll(async () => {
    kit = await addonAgainstBackend();
  }, 60_000);
  afterAll(async () => {
    await kit?.stop();
  });

  it('names the company of a known sender, of an unknown sender at one of its domains, and none for free mail', async () => {
    const acme = (await kit.api('/api/companies?q=acme')).body.items.find((c: { domain: string }) => c.domain === 'acme.com');
    expect(acme, 'the demo data has Acme at acme.com').toBeDefined();
    // a second domain of Acme: a stranger writing from it is at Acme too
    const patched = await kit.api(`/api/companies/${acme.id}`, { method: 'PATCH', body: JSON.stringify({ domains: ['acme.com', 'acme-addon.co.jp'] }) });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);

    const fromJane = mail({ from: 'Jane Doe <jane@acme.com>', to: `Sam Carter <${SAM}>`, cc: 'Ken <ken@acme-addon.co.jp>, pat@gmail.com', subject: 'Renewal' });
    const { addon } = kit.as(SAM, [fromJane]);
    const cards = addon.call('onGmailMessageOpen', gmailEvent({ messageId: fromJane.id, threadId: fromJane.threadId, userLocale: 'en' }));
    const byTitle = new Map<string, string>(cards.map((c: any) => [c.header.title, texts(c).join('\n')]));
    expect(byTitle.get('Jane Doe')).toContain(`${acme.name} · no open deals`);
    expect(byTitle.get('Ken')).toContain(`${acme.name} · no open deals`);
    expect([...byTitle.entries()].find(([title]) => title.startsWith('pat'))?.[1] ?? '').not.toContain('open deal');
    addon.assertActionsExist(cards);

    const ja = kit.as(SAM, [fromJane]).addon.call('onGmailMessageOpen', gmailEvent({ messageId: fromJane.id, threadId: fromJane.threadId, userLocale: 'ja' }));
    expect(texts(ja[0]).join('\n')).toContain(`${acme.name}・進行中の商談なし`);
  });

  it('counts open deals and sums them per currency, never converting', () => {
    const account = {
      id: 'c1',
      name: 'Acme',
      openDealsCount: 3,
      openDealTotals: [
        { currency: 'JPY', amount: 1200000, count: 1 },
        { currency: 'USD', amount: 152500, count: 2 },
      ],
    };
    expect(accountLine('en', account)).toBe('Acme · 3 open deals · ¥1,200,000 + $1,525.00');
    expect(accountLine('ja', account)).toBe('Acme・進行中の商談 3 件 · ￥1,200,000 + $1,525.00');
    expect(accountLine('zh', { ...account, openDealsCount: 1, openDealTotals: [account.openDealTotals[1]!] })).toBe('Acme · 1 个进行中的商机 · US$1,525.00');
  });
});
