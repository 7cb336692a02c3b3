import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addonManifest } from '../../gmail-addon/build/manifest.js';
import { startGoogleStandIn, type GoogleStandIn } from '../support/google-stand-in.js';
import { addonAgainstBackend, homeEvent, KENJI, SAM, texts } from './addon-kit.js';

/**
 * The add-on's Settings card (issue 16): the rep's capture address and how
 * to use it, Gmail sync's Connect and Disconnect, and (issue 17) Google
 * Calendar beside it: its status, turned on and off there as in Slack's App
 * Home, and Connect Google Calendar while Google's consent lacks it. Built by
 * the bundled add-on against the real backend (its own process), which
 * reaches Google through the stand-in on loopback; the card tree is what the
 * recording CardService was told.
 */
const CLIENT_ID = 'addon-test-client.apps.googleusercontent.com';
const CLIENT_SECRET = 'addon-test-secret';
const CAPTURE = /^log\+[a-z2-9]{10}@in\.example\.com$/;

describe('the Gmail add-on: Settings shows the capture address, Gmail sync and Google Calendar', () => {
  let google: GoogleStandIn;
  let kit: Awaited<ReturnType<typeof addonAgainstBackend>>;
  beforeAll(async () => {
    google = await startGoogleStandIn({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
    kit = await addonAgainstBackend({
      env: {
        RAPPORT_INBOUND_ADDRESS: 'log@in.example.com',
        RAPPORT_INBOUND_SECRET: 'inbound-relay-secret-'.padEnd(48, 'z'),
        // Gmail sync offered, Google's consent and API at the stand-in
        RAPPORT_PUBLIC_URL: 'https://rapport.example.com',
        RAPPORT_SECRET_KEY: Buffer.alloc(32, 9).toString('base64'),
        GOOGLE_OAUTH_CLIENT_ID: CLIENT_ID,
        GOOGLE_OAUTH_CLIENT_SECRET: CLIENT_SECRET,
        GOOGLE_OAUTH_URL: google.url,
        GOOGLE_API_URL: google.url,
      },
    });
  }, 60_000);
  afterAll(async () => {
    await kit?.stop();
    await google?.close();
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
    expect(`${url.origin}${url.pathname}`).toBe(`${google.url}/o/oauth2/v2/auth`);
    expect(url.searchParams.get('client_id')).toBe(CLIENT_ID);
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

  /** Sam connects Gmail alone (no calendar), through Google's consent as a browser would. */
  async function connectGmailOnly() {
    google.consentAs(SAM, { scopes: ['https://www.googleapis.com/auth/gmail.readonly'] });
    const asSam = { authorization: `Bearer ${kit.backend.idToken(SAM)}`, 'content-type': 'application/json' };
    const connect = await fetch(`${kit.backend.url}/api/me/mailbox`, { method: 'POST', headers: asSam, body: '{}' });
    const { authorizeUrl } = (await connect.json()) as { authorizeUrl: string };
    const consent = await fetch(authorizeUrl, { redirect: 'manual' });
    const back = new URL(consent.headers.get('location')!);
    const page = await fetch(`${kit.backend.url}${back.pathname}${back.search}`);
    expect(page.status, await page.text()).toBe(200);
  }

  const gmailSection = (card: any) => card.sections.find((s: any) => s.header === 'Gmail sync');
  const settings = () => {
    const response = kit.as(SAM).addon.call('onSettings', homeEvent());
    return gmailSection(response.steps.find((s: any) => s.action === 'displayAddOnCards').cardObjects[0]);
  };
  const press = (fn: string) => {
    const res = kit.as(SAM).addon.call(fn, homeEvent());
    return { note: res.notification?.text as string | undefined, gmail: gmailSection(res.navigation.steps.find((s: any) => s.card).card) };
  };
  const buttons = (section: any) => section.widgets.flatMap((w: any) => (w.type === 'ButtonSet' ? w.buttons : w.type === 'TextButton' ? [w] : []));

  it('asks for the calendar’s consent beside a mailbox connected without it (the calendar is wanted unless turned off)', async () => {
    await connectGmailOnly();
    const gmail = settings();
    expect(texts(gmail).join('\n')).toContain('Google Calendar: waiting for your consent at Google');
    expect(buttons(gmail).map((b: any) => b.text)).toEqual(['Connect Google Calendar', 'Stop calendar sync', 'Disconnect Gmail']);
  });

  it('Stop calendar sync turns it off and says the meetings stay; Sync my calendar too brings back the consent link', () => {
    const off = press('calendarOff');
    expect(off.note).toBe('Calendar sync stopped; the meetings already captured stay in Rapport.');
    expect(texts(off.gmail).join('\n')).toContain('Google Calendar: not synced');
    expect(buttons(off.gmail).map((b: any) => b.text)).toEqual(['Sync my calendar too', 'Disconnect Gmail']);
    const on = press('calendarOn');
    expect(on.note).toBe('Google Calendar will be synced with your mail.');
    expect(texts(on.gmail).join('\n')).toContain('waiting for your consent at Google');
  });

  it('once Google’s consent includes the calendar, shows its sync with Stop calendar sync; in Japanese too', async () => {
    const link = buttons(settings()).find((b: any) => b.text === 'Connect Google Calendar');
    expect(new URL(link.openLink.url).searchParams.get('scope')).toContain('calendar');
    // the rep consents to both
    google.consentAs(SAM);
    const consent = await fetch(link.openLink.url, { redirect: 'manual' });
    const back = new URL(consent.headers.get('location')!);
    expect((await fetch(`${kit.backend.url}${back.pathname}${back.search}`)).status).toBe(200);
    const gmail = settings();
    expect(texts(gmail).join('\n')).toMatch(/Google Calendar: (Importing your recent mail|Syncing) · \d+ meetings captured/);
    expect(buttons(gmail).map((b: any) => b.text)).toEqual(['Stop calendar sync', 'Disconnect Gmail']);
    const response = kit.as(SAM).addon.call('onSettings', homeEvent({ userLocale: 'ja' }));
    const ja = response.steps.find((s: any) => s.action === 'displayAddOnCards').cardObjects[0].sections.find((s: any) => s.header === 'Gmail 同期');
    expect(texts(ja).join('\n')).toMatch(/Google カレンダー: .* · 会議 \d+ 件を記録/);
    expect(buttons(ja).map((b: any) => b.text)).toContain('カレンダーの同期を停止');
  });
});
