import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gmailEvent } from './support/run-addon.js';
import { actionsOf, addonAgainstBackend, mail, SAM, shownCard, texts } from './addon-kit.js';

const TANAKA = '00000000-0000-4000-8000-000000000c06';
const SAKURA = '00000000-0000-4000-8000-0000000000b4';

/**
 * Deals on the person card: the person's open deals with their stage and
 * amount, Move stage through the deal's own dropdown, and a New deal form
 * prefilled with the person and their company, run in the built add-on
 * against the real backend.
 */
describe('the Gmail add-on: deals on the person card', () => {
  let kit: Awaited<ReturnType<typeof addonAgainstBackend>>;
  let dealId: string;
  beforeAll(async () => {
    kit = await addonAgainstBackend();
    const made = await kit.api('/api/deals', {
      method: 'POST',
      body: JSON.stringify({ name: '金型の更新', companyId: SAKURA, amount: 3_500_000, currency: 'JPY', stage: 'proposal', contacts: [{ id: TANAKA }] }),
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    dealId = made.body.id;
  }, 60_000);
  afterAll(async () => {
    await kit?.stop();
  });

  const msg = mail({ from: '"田中 太郎" <tanaka@sakura-mfg.co.jp>', subject: '見積もりの件' });
  const on = (extra: Parameters<typeof gmailEvent>[0] extends infer O ? Partial<O> : never = {}) =>
    gmailEvent({ messageId: msg.id, threadId: msg.threadId, userLocale: 'en', ...extra });
  const dealsOf = (card: any) => card.sections.find((s: any) => s.header === 'Open deals');

  it('shows the person’s open deals with stage and amount, and moves one with its own dropdown', async () => {
    const { addon } = kit.as(SAM, [msg]);
    const [card] = addon.call('onGmailMessageOpen', on());
    const section = dealsOf(card);
    expect(texts(section)).toEqual(expect.arrayContaining(['金型の更新', 'Proposal sent · ¥3,500,000']));
    const dropdown = section.widgets.find((w: any) => w.fieldName === `stage:${dealId}`);
    expect(dropdown.items.find((i: any) => i.selected).value).toBe('proposal');
    expect(dropdown.items.map((i: any) => i.value)).toEqual(['qualified', 'meeting', 'proposal', 'negotiation', 'commit']);
    const move = actionsOf(section).find((a) => a.functionName === 'moveDealStage')!;
    expect(move.parameters).toEqual({ dealId, contactId: TANAKA });

    const moved = addon.call('moveDealStage', on({ parameters: move.parameters, formInputs: { [`stage:${dealId}`]: 'negotiation' } }));
    expect(moved.notification.text).toBe('“金型の更新” moved to Negotiation.');
    expect(texts(dealsOf(shownCard(moved)))).toContain('Negotiation · ¥3,500,000');
    const after = (await kit.api(`/api/deals/${dealId}`)).body;
    expect(after).toMatchObject({ stage: 'negotiation', history: [{ fromStage: 'proposal', toStage: 'negotiation', source: 'gmail' }, expect.anything()] });

    // Japanese: the section and the amount in the rep's language (the stage keeps the name the workspace gave it)
    const [ja] = kit.as(SAM, [msg]).addon.call('onGmailMessageOpen', on({ userLocale: 'ja' }));
    expect(texts(ja)).toEqual(expect.arrayContaining(['進行中の案件', 'Negotiation・￥3,500,000']));
  });

  it('New deal opens a form for the person and their company; Save creates the deal with them', async () => {
    const { addon } = kit.as(SAM, [msg]);
    const [card] = addon.call('onGmailMessageOpen', on());
    const open = actionsOf(dealsOf(card)).find((a) => a.functionName === 'showNewDeal')!;
    expect(open.parameters).toMatchObject({ contactId: TANAKA, companyId: SAKURA });
    const form = shownCard(addon.call('showNewDeal', on({ parameters: open.parameters })));
    const widgets = form.sections[0].widgets;
    expect(widgets.map((w: any) => w.fieldName).filter(Boolean)).toEqual(['dealName', 'amount', 'currency', 'stage', 'closeDate']);
    expect(
      widgets
        .find((w: any) => w.fieldName === 'currency')
        .items.slice(0, 2)
        .map((i: any) => i.value),
    ).toEqual(['USD', 'JPY']);
    const save = actionsOf(form).find((a) => a.functionName === 'saveDeal')!;

    const bad = addon.call(
      'saveDeal',
      on({ parameters: save.parameters, formInputs: { dealName: '追加発注', amount: '12.5', currency: 'JPY', stage: 'meeting' } }),
    );
    expect(bad.notification.text).toBe('Please fix the field marked below.');
    const back = shownCard(bad).sections[0].widgets;
    const warn = back.findIndex((w: any) => w.type === 'TextParagraph' && w.text.startsWith('⚠️'));
    expect(back[warn + 1].fieldName).toBe('amount');

    const saved = addon.call(
      'saveDeal',
      on({
        parameters: save.parameters,
        formInputs: { dealName: '追加発注', amount: '1,200,000', currency: 'JPY', stage: 'meeting', closeDate: new Date('2027-01-15T00:00:00Z') as never },
      }),
    );
    expect(saved.notification.text).toBe('Deal “追加発注” created.');
    const list = (await kit.api(`/api/deals?contact=${TANAKA}`)).body.items.find((d: any) => d.name === '追加発注');
    expect(list).toMatchObject({ amount: 1_200_000, currency: 'JPY', stage: 'meeting', closeDate: '2027-01-15', company: { id: SAKURA } });
    expect(texts(dealsOf(shownCard(saved)))).toContain('追加発注');
  });
});
