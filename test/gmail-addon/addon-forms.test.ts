import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gmailEvent } from './support/run-addon.js';
import { actionsOf, addonAgainstBackend, homeEvent, mail, SAM, shownCard, texts } from './addon-kit.js';

const TANAKA = '00000000-0000-4000-8000-000000000c06';

describe('the Gmail add-on: editing inline, the homepage, and when things go wrong', () => {
  let kit: Awaited<ReturnType<typeof addonAgainstBackend>>;
  beforeAll(async () => {
    kit = await addonAgainstBackend();
  }, 60_000);
  afterAll(async () => {
    await kit?.stop();
  });

  const msg = mail({ from: '"田中 一郎" <tanaka@sakura-mfg.co.jp>', subject: '納期について' });
  const on = (extra: Parameters<typeof gmailEvent>[0] extends infer O ? Partial<O> : never = {}) =>
    gmailEvent({ messageId: msg.id, threadId: msg.threadId, userLocale: 'en', ...extra });

  it('Edit changes the contact for everyone at once, and a refused field comes back with its message', async () => {
    const { addon } = kit.as(SAM, [msg]);
    const form = shownCard(addon.call('showEditContact', on({ parameters: { contactId: TANAKA, name: '田中 一郎' } })));
    const widgets = form.sections.flatMap((s: any) => s.widgets);
    const stage = widgets.find((w: any) => w.fieldName === 'stage');
    expect(stage.items.map((i: any) => i.value)).toEqual(['lead', 'prospect', 'customer', 'churned']);
    expect(actionsOf(form).map((a) => a.functionName)).toEqual(['saveContact']);

    const saved = addon.call(
      'saveContact',
      on({
        parameters: { contactId: TANAKA },
        formInputs: { stage: 'customer', title: '購買部長', reading: 'ﾀﾅｶ ﾀﾛｳ', phone: '+81 3-1234-5678', tags: 'vip, 製造' },
      }),
    );
    expect(saved.notification.text).toBe('Contact saved.');
    // the reading, folded, beside the name for a reader of English (issue 21)
    expect(JSON.stringify(shownCard(saved))).toContain('田中 太郎（タナカ タロウ）');
    expect(widgets.find((w: any) => w.fieldName === 'reading')).toMatchObject({ title: 'Reading of the name (kana, pinyin)' });
    expect(saved.navigation.steps.map((s: any) => s.action)).toEqual(['popToRoot', 'updateCard']);
    expect(texts(shownCard(saved))).toEqual(expect.arrayContaining(['購買部長', 'Customer']));
    const after = (await kit.api(`/api/contacts/${TANAKA}`)).body;
    expect(after).toMatchObject({ stage: 'customer', title: '購買部長', reading: 'タナカ タロウ', phone: '+81 3-1234-5678', tags: ['vip', '製造'] });

    const refused = addon.call(
      'saveContact',
      on({ parameters: { contactId: TANAKA }, formInputs: { stage: 'customer', title: '', phone: '9'.repeat(60), tags: '' } }),
    );
    expect(refused.notification.text).toBe('Please fix the field marked below.');
    const back = shownCard(refused).sections[0].widgets;
    const warn = back.findIndex((w: any) => w.type === 'TextParagraph' && w.text.startsWith('⚠️'));
    expect(back[warn + 1].fieldName).toBe('phone');
    expect((await kit.api(`/api/contacts/${TANAKA}`)).body.phone).toBe('+81 3-1234-5678');
    // an empty reading clears it (and leaves the contact as the other tests expect it)
    addon.call('saveContact', on({ parameters: { contactId: TANAKA }, formInputs: { stage: 'customer', title: '購買部長', reading: '', tags: '' } }));
    expect((await kit.api(`/api/contacts/${TANAKA}`)).body.reading).toBeNull();
  });

  it('Add follow-up saves 09:00 of the picked day in the rep’s time zone, once however often Save is pressed', async () => {
    const { addon } = kit.as(SAM, [msg]);
    const form = shownCard(addon.call('showAddFollowUp', on({ timeZone: 'Asia/Tokyo', parameters: { contactId: TANAKA, name: '田中 一郎' } })));
    const picker = form.sections[0].widgets.find((w: any) => w.type === 'DatePicker');
    expect(picker.fieldName).toBe('dueDate');
    const save = actionsOf(form).find((a) => a.functionName === 'saveFollowUp')!;
    const press = () =>
      addon.call(
        'saveFollowUp',
        on({
          timeZone: 'Asia/Tokyo',
          parameters: save.parameters,
          formInputs: { dueDate: new Date('2026-12-01T00:00:00Z') as never, note: '見積もり再送' },
        }),
      );
    expect(press().notification.text).toMatch(/^Follow-up set for 12\/1\/2026, 9:00 AM\.$/);
    press();
    const open = (await kit.api(`/api/contacts/${TANAKA}`)).body.openFollowUps.filter((f: any) => f.note === '見積もり再送');
    expect(open).toHaveLength(1);
    expect(Date.parse(open[0].dueAt)).toBe(Date.parse('2026-12-01T00:00:00Z'));
    const none = addon.call('saveFollowUp', on({ parameters: save.parameters, formInputs: { note: 'x' } }));
    expect(texts(shownCard(none))).toContain('⚠️ Required.');
  });

  it('Add note files a note under the contact; an empty note is refused', async () => {
    const { addon } = kit.as(SAM, [msg]);
    const form = shownCard(addon.call('showAddNote', on({ parameters: { contactId: TANAKA, name: '田中 一郎' } })));
    const save = actionsOf(form).find((a) => a.functionName === 'saveNote')!;
    expect(texts(shownCard(addon.call('saveNote', on({ parameters: save.parameters, formInputs: { note: '' } }))))).toContain('⚠️ Required.');
    const res = addon.call('saveNote', on({ parameters: save.parameters, formInputs: { note: '来月に訪問予定' } }));
    expect(res.notification.text).toBe('Note added.');
    addon.call('saveNote', on({ parameters: save.parameters, formInputs: { note: '来月に訪問予定' } }));
    const notes = (await kit.api(`/api/contacts/${TANAKA}/timeline?limit=50`)).body.items.filter(
      (e: any) => e.interaction?.kind === 'note' && e.interaction.snippet === '来月に訪問予定',
    );
    expect(notes).toHaveLength(1);
  });

  it('the homepage searches contacts and lists my follow-ups due today or overdue, with Done', async () => {
    const { addon } = kit.as(SAM);
    const [home] = addon.call('onHomepage', homeEvent());
    expect(home.sections[0].widgets.map((w: any) => w.type)).toEqual(['TextInput', 'TextButton']);
    const done = actionsOf(home).filter((a) => a.functionName === 'completeFollowUp');
    expect(done.length).toBeGreaterThan(0);
    const mine = (await kit.api(`/api/follow-ups?owner=${encodeURIComponent(SAM)}&limit=100`)).body.items;
    const dueNow = mine.filter((f: any) => Date.parse(f.dueAt) < Date.now() + 86_400_000);
    expect(done.length).toBeLessThanOrEqual(dueNow.length);

    const found = shownCard(addon.call('searchContacts', homeEvent({ formInputs: { query: '田中' } })));
    expect(texts(found)).toContain('Contacts matching “田中”');
    const open = actionsOf(found).find((a) => a.functionName === 'openContact' && a.parameters.contactId === TANAKA)!;
    expect(shownCard(addon.call('openContact', homeEvent({ parameters: open.parameters }))).header.title).toBe('田中 太郎');

    const first = done[0]!.parameters.followUpId!;
    const res = addon.call('completeFollowUp', homeEvent({ parameters: { followUpId: first } }));
    expect(res.notification.text).toBe('Follow-up done.');
    expect(actionsOf(shownCard(res)).some((a) => a.parameters.followUpId === first)).toBe(false);
    const status = (await kit.api(`/api/follow-ups?owner=${encodeURIComponent(SAM)}&limit=100`)).body.items.some((f: any) => f.id === first);
    expect(status).toBe(false);
  });

  it('an unreachable backend gives an error card with Retry, never a stack trace', () => {
    const { addon } = kit.as(SAM, [msg], { scriptProperties: { RAPPORT_PUBLIC_URL: 'http://127.0.0.1:9' } });
    const [card] = addon.call('onGmailMessageOpen', on());
    expect(card.header.title).toBe('Rapport is not reachable');
    expect(actionsOf(card).map((a) => a.functionName)).toEqual(['retryMessage']);
    expect(texts(card).join('\n')).not.toMatch(/\n\s+at |\.ts:\d+/);
    addon.assertActionsExist(card);
  });

  it('an address Rapport does not know is told how to get access, in Chinese for a Chinese Gmail', () => {
    const { addon } = kit.as('stranger@rapport-demo.com', [msg]);
    const [card] = addon.call('onGmailMessageOpen', on({ userLocale: 'zh-CN' }));
    expect(card.header.title).toBe('没有 Rapport 的访问权限');
    expect(texts(card).join('\n')).toContain('stranger@rapport-demo.com');
  });

  it('Settings and Help answer as universal actions', () => {
    const { addon } = kit.as(SAM);
    const settings = addon.call('onSettings', homeEvent());
    expect(texts(settings).join('\n')).toMatch(/Signed in as Sam Carter \(sam\.carter@rapport-demo\.com\)/);
    expect(texts(addon.call('onHelp', homeEvent({ userLocale: 'ja' }))).join('\n')).toContain('メールを開くと');
  });
});
