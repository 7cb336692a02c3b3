import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signSlackRequest } from '../../slack-app/signature.js';
import { TEST_CLIENT_ID } from '../support/google-tokens.js';
import { fakeGmail } from './support/apps-script-fakes.js';
import { startBackend, type StartedBackend } from './support/backend.js';
import { gmailEvent, loadAddon } from './support/run-addon.js';

// A hand-written stand-in for the built add-on: top-level functions only, as
// the real bundle exposes its triggers and actions.
const BUNDLE = `
var API = PropertiesService.getScriptProperties().getProperty('API_URL');
var executions = 0;
executions++;
function countExecutions() { return executions; }
function globalsSeen() {
  return [typeof require, typeof process, typeof fetch, typeof setTimeout, typeof URL, typeof TextEncoder, typeof Buffer];
}
function buildCard(e) {
  var save = CardService.newAction().setFunctionName('onSave').setParameters({ id: 'c1' });
  var section = CardService.newCardSection().setHeader('Contact')
    .addWidget(CardService.newDecoratedText().setTopLabel('Owner').setText(Session.getActiveUser().getEmail()))
    .addWidget(CardService.newButtonSet().addButton(
      CardService.newTextButton().setText('Save').setTextButtonStyle(CardService.TextButtonStyle.FILLED).setOnClickAction(save)));
  return CardService.newCardBuilder().setHeader(CardService.newCardHeader().setTitle('Rapport')).addSection(section).build();
}
function onSave(e) {
  return CardService.newActionResponseBuilder()
    .setNavigation(CardService.newNavigation().popCard().updateCard(buildCard(e)))
    .setNotification(CardService.newNotification().setText('Saved ' + e.commonEventObject.parameters.id))
    .build();
}
function brokenCard() {
  return CardService.newCardBuilder().addSection(CardService.newCardSection().addWidget(
    CardService.newTextButton().setText('x').setOnClickAction(CardService.newAction().setFunctionName('noSuchFunction')))).build();
}
function manyWidgets(e) {
  var section = CardService.newCardSection();
  for (var i = 0; i < e.n; i++) section.addWidget(CardService.newTextParagraph().setText('w' + i));
  return CardService.newCardBuilder().addSection(section).build();
}
function readMessage(e) {
  GmailApp.setCurrentMessageAccessToken(e.gmail.accessToken);
  var m = GmailApp.getMessageById(e.gmail.messageId);
  return { from: m.getFrom(), cc: m.getCc(), isDate: m.getDate() instanceof Date, inThread: m.getThread().getMessageCount(),
    references: m.getHeader('References'), attachments: m.getAttachments().map(function (a) { return a.getName() + ':' + a.getSize(); }) };
}
function readWithoutToken(e) { return GmailApp.getMessageById(e.gmail.messageId).getSubject(); }
function fetchText(e) {
  var r = UrlFetchApp.fetch(e.url, { method: e.method || 'get', payload: e.payload, contentType: e.contentType, muteHttpExceptions: true });
  var text = r.getContentText();
  return { status: r.getResponseCode(), length: text.length, whole: text === e.expect };
}
function me() {
  var r = UrlFetchApp.fetch(API + '/api/me', { headers: { Authorization: 'Bearer ' + ScriptApp.getIdentityToken() }, muteHttpExceptions: true });
  return { status: r.getResponseCode(), body: JSON.parse(r.getContentText()) };
}
function health() { return JSON.parse(UrlFetchApp.fetch(API + '/healthz').getContentText()); }
function unmuted() {
  try { UrlFetchApp.fetch(API + '/api/me'); return 'no error'; } catch (err) { return { isError: err instanceof Error, text: String(err) }; }
}
function failing(e) {
  try { UrlFetchApp.fetch(e.url); return 'no error'; } catch (err) { return String(err); }
}
function outside() { try { UrlFetchApp.fetch('https://example.com/'); } catch (err) { return 'swallowed'; } }
function postToSlack(e) {
  return UrlFetchApp.fetch(e.url + '/api/chat.postMessage', { method: 'post', payload: { channel: 'C0GENERAL', text: 'from the add-on' } }).getContentText();
}
`;

const SAM = 'sam.carter@rapport-demo.com';

describe('the add-on harness (vm + Apps Script fakes + the real backend)', () => {
  let backend: StartedBackend;
  beforeAll(async () => {
    backend = await startBackend({ clientId: TEST_CLIENT_ID });
  });
  afterAll(async () => {
    await backend?.stop();
  });
  const load = (extra: Parameters<typeof loadAddon>[0] = {}) =>
    loadAddon({
      code: BUNDLE,
      fetcher: backend.fetcher,
      userEmail: SAM,
      identityToken: backend.idToken(SAM),
      scriptProperties: { API_URL: backend.url },
      ...extra,
    });

  it('finds the top-level functions, gives the bundle no Node globals, and runs each call as a fresh execution', () => {
    const addon = load();
    expect(addon.topLevelFunctions).toEqual(expect.arrayContaining(['buildCard', 'onSave', 'manyWidgets', 'me', 'readMessage']));
    expect(addon.topLevelFunctions).not.toContain('CardService');
    expect(addon.topLevelFunctions).not.toContain('API');
    expect(addon.call('globalsSeen')).toEqual(Array(7).fill('undefined'));
    expect(addon.call('countExecutions')).toBe(1);
    expect(addon.call('countExecutions')).toBe(1);
    expect(() => addon.call('nope')).toThrow('Script function not found: nope');
  });

  it('returns a card built through the CardService fake as plain data, and checks that its actions exist', () => {
    const addon = load();
    const card = addon.call('buildCard', gmailEvent({ messageId: 'm1', threadId: 't1' }));
    expect(card).toEqual({
      type: 'Card',
      header: { type: 'CardHeader', title: 'Rapport' },
      sections: [
        {
          type: 'CardSection',
          header: 'Contact',
          widgets: [
            { type: 'DecoratedText', topLabel: 'Owner', text: SAM },
            {
              type: 'ButtonSet',
              buttons: [
                {
                  type: 'TextButton',
                  text: 'Save',
                  textButtonStyle: 'FILLED',
                  onClickAction: { type: 'Action', functionName: 'onSave', parameters: { id: 'c1' } },
                },
              ],
            },
          ],
        },
      ],
    });
    addon.assertActionsExist(card);
    const response = addon.call('onSave', gmailEvent({ messageId: 'm1', threadId: 't1', parameters: { id: 'c1' } }));
    expect(response.type).toBe('ActionResponse');
    expect(response.notification).toEqual({ type: 'Notification', text: 'Saved c1' });
    expect(response.navigation.steps.map((s: { action: string }) => s.action)).toEqual(['popCard', 'updateCard']);
    expect(response.navigation.steps[1].card.type).toBe('Card');
    expect(() => addon.assertActionsExist(addon.call('brokenCard'))).toThrow(/noSuchFunction/);
    expect(addon.missingActionFunctions()).toEqual(['noSuchFunction']);
  });

  it('throws when a card section is built with a 101st widget, as Apps Script does', () => {
    const addon = load();
    expect(addon.call('manyWidgets', { n: 100 }).sections[0].widgets).toHaveLength(100);
    expect(() => addon.call('manyWidgets', { n: 101 })).toThrow(/at most 100 widgets/);
  });

  it('serves fixture Gmail messages after setCurrentMessageAccessToken, from an event shaped as Gmail sends it', () => {
    const gmail = fakeGmail({
      messages: [
        {
          id: 'm1',
          threadId: 't1',
          headers: { 'Message-ID': '<m1@example.co.jp>' },
          from: '"山田 太郎" <yamada@example.co.jp>',
          to: SAM,
          cc: '',
          date: new Date('2026-11-19T01:00:00Z'),
          subject: 'お見積もり',
          plainBody: 'よろしくお願いします。',
        },
        {
          id: 'm2',
          threadId: 't1',
          headers: { References: '<m1@example.co.jp>', 'In-Reply-To': '<m1@example.co.jp>' },
          from: SAM,
          to: '"山田 太郎" <yamada@example.co.jp>',
          cc: 'b@x.com',
          date: new Date('2026-11-20T01:00:00Z'),
          subject: 'Re: お見積もり',
          plainBody: '承知しました。',
          attachments: [{ name: 'quote.pdf', size: 1234, contentType: 'application/pdf' }],
        },
      ],
    });
    const addon = load({ gmail });
    const event = gmailEvent({ messageId: 'm2', gmail, formInputs: { note: 'hi', due: new Date(0) } });
    expect(event).toMatchObject({
      commonEventObject: {
        hostApp: 'GMAIL',
        platform: 'WEB',
        userLocale: 'ja',
        timeZone: { id: 'Asia/Tokyo', offset: '32400000' },
        formInputs: { note: { stringInputs: { value: ['hi'] } }, due: { dateInput: { msSinceEpoch: '0' } } },
      },
      gmail: { messageId: 'm2', threadId: 't1' },
      messageMetadata: { messageId: 'm2' },
      formInput: { note: 'hi' },
      formInputs: { note: ['hi'] },
    });
    expect(addon.call('readMessage', event)).toEqual({
      from: SAM,
      cc: 'b@x.com',
      isDate: true,
      inThread: 2,
      references: '<m1@example.co.jp>',
      attachments: ['quote.pdf:1234'],
    });
    expect(() => addon.call('readWithoutToken', event)).toThrow(/Missing access token/);
  });

  it('fetches the real backend synchronously: /healthz, and /api/me as Sam with a Google ID token, 401 without', () => {
    const addon = load();
    expect(addon.call('health')).toEqual({ ok: true, db: 'pglite' });
    const sam = addon.call('me');
    expect(sam.status).toBe(200);
    expect(sam.body.member.email).toBe(SAM);

    addon.fakes.state.identityToken = null;
    expect(addon.call('me').status).toBe(401);
    const thrown = addon.call('unmuted');
    expect(thrown.isError).toBe(true);
    expect(thrown.text).toMatch(/^Exception: Request failed for http:\/\/127\.0\.0\.1:\d+ returned code 401\. Truncated server response: /);
    expect(addon.fakes.recorded.fetches.map((f) => [f.method, new URL(f.url).pathname, f.status])).toEqual([
      ['GET', '/healthz', 200],
      ['GET', '/api/me', 200],
      ['GET', '/api/me', 401],
      ['GET', '/api/me', 401],
    ]);
    expect(addon.fakes.recorded.fetches[1]!.headers.Authorization).toMatch(/^Bearer eyJ/);
  });

  it('fails the call on a URL outside loopback, even when the add-on catches the error; throws Exception on network failure and timeout', () => {
    const addon = load({ fetchTimeoutMs: 300 });
    expect(() => addon.call('outside')).toThrow(/only reach http:\/\/127\.0\.0\.1.*example\.com/);
    expect(addon.call('failing', { url: 'http://127.0.0.1:1/' })).toBe('Exception: Address unavailable: http://127.0.0.1:1/');
    const slow = `${backend.fetcher.standInUrl}/delay/3000`;
    expect(addon.call('failing', { url: slow })).toBe(`Exception: Timeout: ${slow}`);
  });

  it('carries a 5 MB body whole, both ways', () => {
    const addon = load();
    const size = 5 * 1024 * 1024;
    const big = 'x'.repeat(size);
    const url = backend.fetcher.standInUrl;
    expect(addon.call('fetchText', { url: `${url}/bytes/${size}`, expect: big })).toEqual({ status: 200, length: size, whole: true });
    expect(addon.call('fetchText', { url: `${url}/echo`, method: 'post', payload: big, contentType: 'text/plain', expect: big })).toEqual({
      status: 200,
      length: size,
      whole: true,
    });
  });

  it('records what reaches the Slack stand-in, from the add-on and from the backend during a slash command', async () => {
    const addon = load();
    const url = backend.fetcher.standInUrl;
    expect(JSON.parse(addon.call('postToSlack', { url })).ok).toBe(true);
    // (the demo's follow-ups falling due send their owners alerts through the same stand-in: not these)
    const fromAddon = (await backend.fetcher.standInRequests()).find(
      (r) => r.path === '/api/chat.postMessage' && !String(new URLSearchParams(r.body).get('metadata')).includes('rapport_alert'),
    );
    expect(new URLSearchParams(fromAddon!.body).get('text')).toBe('from the add-on');

    const form = new URLSearchParams({
      team_id: 'T0DEMO',
      channel_id: 'C0GENERAL',
      user_id: 'U0DEMOSAM',
      command: '/crm',
      text: 'acme',
      response_url: `${url}/respond`,
      trigger_id: '1.2.3',
    }).toString();
    const res = await fetch(`${backend.url}/slack/events`, {
      method: 'POST',
      body: form,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...signSlackRequest(backend.slackSecret, form, Math.floor(Date.now() / 1000)),
      },
    });
    expect(res.status).toBe(200);
    let respond;
    for (const deadline = Date.now() + 15_000; !respond && Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) {
      respond = (await backend.fetcher.standInRequests()).find((r) => r.path === '/respond');
    }
    expect(JSON.stringify(JSON.parse(respond!.body).blocks)).toMatch(/Acme/i);
  });
});
