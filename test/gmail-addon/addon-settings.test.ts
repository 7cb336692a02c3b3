import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addonManifest } from '../../gmail-addon/build/manifest.js';
import { addonAgainstBackend, homeEvent, KENJI, SAM, texts } from './addon-kit.js';

/**
 * The add-on's Settings card (issue 16): the rep's capture address and how
 * to use it, and Gmail sync's Connect and Disconnect, built by the bundled add-on against the real backend; the card
 * tree is what the recording CardService was told.
 */
const GOOGLE_OAUTH = 'http://127.0.0.1:9';
const CAPTURE = /^log\+[a-z2-9]{10}@in\.example\.com$/;

describe('the Gmail add-on: Settings shows the capture address and Gmail sync', () => {
  let kit: Awaited<ReturnType<typeof addonAgainstBackend>>;
  beforeAll(async () => {
    kit = await addonAgainstBackend({
      env: {
        RAPPORT_INBOUND_ADDRESS: 'log@in.example.com',
        RAPPORT_INBOUND_SECRET: 'inbound-relay-secret-'.padEnd(48, 'z'),
        // Gmail sync offered: Google's consent at a stand-in root nothing is asked of (the page is opened by the rep's browser)
        RAPPORT_PUBLIC_URL: 'https://rapport.example.com',
        RAPPORT_SECRET_KEY: Buffer.alloc(32, 9).toString('base64'),
        GOOGLE_OAUTH_CLIENT_ID: 'addon-test-client.apps.googleusercontent.com',
        GOOGLE_OAUTH_CLIENT_SECRET: 'addon-test-secret',
        GOOGLE_OAUTH_URL: GOOGLE_OAUTH,
      },
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

  it("Gmail sync: Connect Gmail opens Google's consent page for the rep, and the manifest lets the add-on open it", () => {
    const gmail = sectionNamed(settingsOf(SAM), 'Gmail sync');
    expect(texts(gmail).join('\n')).toContain('Connect Gmail and Rapport captures your mail with customers by itself');
    const button = gmail.widgets.find((w: any) => w.type === 'TextButton' && w.text === 'Connect Gmail');
    const url = new URL(button.openLink.url);
    expect(`${url.origin}${url.pathname}`).toBe(`${GOOGLE_OAUTH}/o/oauth2/v2/auth`);
    expect(url.searchParams.get('client_id')).toBe('addon-test-client.apps.googleusercontent.com');
    expect(url.searchParams.get('login_hint')).toBe(SAM);
    expect(url.searchParams.get('redirect_uri')).toBe('https://rapport.example.com/google/oauth_callback');
    expect(url.searchParams.get('state')).toBeTruthy();
    expect(addonManifest('https://rapport.example.com').addOns.common.openLinkUrlPrefixes).toContain('https://accounts.google.com/');
    // in Japanese for a Japanese Gmail
    const ja = sectionNamed(settingsOf(SAM, 'ja'), 'Gmail 同期');
    expect(ja.widgets.find((w: any) => w.type === 'TextButton').text).toBe('Gmail を接続');
  });

  it('Disconnect Gmail answers with the card redrawn and says what stays', () => {
    const { addon } = kit.as(KENJI);
    const res = addon.call('disconnectGmail', homeEvent());
    expect(res.notification.text).toBe('Gmail is disconnected; the mail already captured stays in Rapport.');
    const card = res.navigation.steps.find((s: any) => s.card).card;
    expect(card.name).toBe('settings');
    expect(texts(sectionNamed(card, 'Gmail sync'))).toContain('Connect Gmail');
  });
});
