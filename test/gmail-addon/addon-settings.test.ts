import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addonAgainstBackend, homeEvent, KENJI, SAM, texts } from './addon-kit.js';

/**
 * The add-on's Settings card (issue 16): the rep's capture address and how
 * to use it, built by the bundled add-on against the real backend; the card
 * tree is what the recording CardService was told.
 */
const CAPTURE = /^log\+[a-z2-9]{10}@in\.example\.com$/;

describe('the Gmail add-on: Settings shows the capture address', () => {
  let kit: Awaited<ReturnType<typeof addonAgainstBackend>>;
  beforeAll(async () => {
    kit = await addonAgainstBackend({
      env: { RAPPORT_INBOUND_ADDRESS: 'log@in.example.com', RAPPORT_INBOUND_SECRET: 'inbound-relay-secret-'.padEnd(48, 'z') },
    });
  }, 60_000);
  afterAll(async () => {
    await kit?.stop();
  });

  const settingsOf = (email: string, userLocale = 'en') => {
    const response = kit.as(email).addon.call('onSettings', homeEvent({ userLocale }));
    // a universal action shows its card with displayAddOnCards
    return response.steps.find((s: any) => s.action === 'displayAddOnCards').cardObjects[0];
  };
  const sectionNamed = (card: any, header: string) => card.sections.find((s: any) => s.header === header);

  it('shows the rep their own capture address under Email capture, with how to use it', () => {
    const card = settingsOf(SAM);
    expect(card.name).toBe('settings');
    const capture = sectionNamed(card, 'Email capture');
    const address = capture.widgets.find((w: any) => w.type === 'DecoratedText' && w.topLabel === 'Your capture address');
    expect(address.text).toMatch(CAPTURE);
    expect(texts(capture).join('\n')).toContain('BCC it on mail you send to a customer, or forward a customer’s email to it');
    // the same address each time, and a colleague has their own
    expect(texts(settingsOf(SAM))).toContain(address.text);
    expect(texts(settingsOf(KENJI))).not.toContain(address.text);
    // who is signed in is still there
    expect(texts(card).join('\n')).toMatch(/Signed in as Sam Carter/);
  });

  it('speaks Japanese to a Japanese Gmail', () => {
    const card = settingsOf(SAM, 'ja');
    const capture = sectionNamed(card, 'メールの自動記録');
    expect(capture.widgets[0].topLabel).toBe('あなたの記録用アドレス');
    expect(capture.widgets[0].text).toMatch(CAPTURE);
    expect(texts(capture).join('\n')).toContain('BCC に入れるか');
  });

  it('shows no Gmail sync part where the server has no Google sign-in configured', () => {
    const card = settingsOf(SAM);
    expect(sectionNamed(card, 'Gmail sync')).toBeUndefined();
    expect(JSON.stringify(card)).not.toContain('disconnectGmail');
  });
});
