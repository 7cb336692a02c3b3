import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGoogleStandIn, type GoogleStandIn } from '../support/google-stand-in.js';
import { addonAgainstBackend, homeEvent, SAM, texts } from './addon-kit.js';

/**
 * The add-on's Settings card and Google Calendar (issue 17): with Gmail
 * connected, the rep sees the calendar's sync beside the mailbox's and turns
 * it on and off there, as in Slack's App Home; while Google's consent lacks
 * the calendar, Connect Google Calendar links to it. The bundled add-on runs
 * against the real backend (its own process), which reaches Google through
 * the stand-in on loopback.
 */
const CLIENT_ID = 'addon-calendar-client.apps.googleusercontent.com';
const CLIENT_SECRET = 'addon-calendar-secret';
const PUBLIC_URL = 'https://rapport.example.com';

describe('the Gmail add-on: Settings turns Google Calendar sync on and off', () => {
  let google: GoogleStandIn;
  let kit: Awaited<ReturnType<typeof addonAgainstBackend>>;
  beforeAll(async () => {
    google = await startGoogleStandIn({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
    kit = await addonAgainstBackend({
      env: {
        RAPPORT_PUBLIC_URL: PUBLIC_URL,
        RAPPORT_SECRET_KEY: Buffer.alloc(32, 7).toString('base64'),
        GOOGLE_OAUTH_CLIENT_ID: CLIENT_ID,
        GOOGLE_OAUTH_CLIENT_SECRET: CLIENT_SECRET,
        GOOGLE_OAUTH_URL: google.url,
        GOOGLE_API_URL: google.url,
      },
    });
    // Sam connects Gmail alone (no calendar), through Google's consent as a browser would
    google.consentAs(SAM, { scopes: ['https://www.googleapis.com/auth/gmail.readonly'] });
    const asSam = { authorization: `Bearer ${kit.backend.idToken(SAM)}`, 'content-type': 'application/json' };
    const connect = await fetch(`${kit.backend.url}/api/me/mailbox`, { method: 'POST', headers: asSam, body: '{}' });
    const { authorizeUrl } = (await connect.json()) as { authorizeUrl: string };
    const consent = await fetch(authorizeUrl, { redirect: 'manual' });
    const back = new URL(consent.headers.get('location')!);
    const page = await fetch(`${kit.backend.url}${back.pathname}${back.search}`);
    expect(page.status, await page.text()).toBe(200);
  }, 60_000);
  afterAll(async () => {
    await kit?.stop();
    await google?.close();
  });

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

  it('asks for the calendar’s consent beside a mailbox connected without it (the calendar is wanted unless turned off)', () => {
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
