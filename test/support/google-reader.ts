/**
 * A member's mailbox on the Google stand-in, connected through the real
 * consent and token exchange, and readers of it whose waits are recorded
 * instead of slept, for the tests of the Gmail client.
 *
 *   const m = await connectedMailbox({ clientId, clientSecret, email })
 *   const page = await fetchPage(await m.reader(), cursor, { metadataOnly: false })
 *   expect(m.waits).toEqual([...]); await m.google.close()
 */
import { type GmailReader, type GmailReaderOptions, gmailReader } from '../../backend/google/gmail.js';
import { authorizeUrl, exchangeCode, GMAIL_SCOPE, type OAuthApp } from '../../backend/google/oauth.js';
import { type GoogleStandIn, startGoogleStandIn } from './google-stand-in.js';

export interface ConnectedMailbox {
  google: GoogleStandIn;
  app: OAuthApp;
  refreshToken: string;
  /** the waits the readers asked for, in ms */
  waits: number[];
  /** a reader of the mailbox, with no quota to speak of unless o says so */
  reader(o?: GmailReaderOptions): Promise<GmailReader>;
  /** how many requests reached a path (calls inside a batch included) */
  count(path: RegExp): number;
}

export async function connectedMailbox(o: { clientId: string; clientSecret: string; email: string }): Promise<ConnectedMailbox> {
  const google = await startGoogleStandIn({ clientId: o.clientId, clientSecret: o.clientSecret });
  const app: OAuthApp = { clientId: o.clientId, clientSecret: o.clientSecret, redirectUri: 'http://127.0.0.1:9/cb', apiUrl: google.url, oauthUrl: google.url };
  google.consentAs(o.email);
  const res = await fetch(authorizeUrl(app, { scopes: [GMAIL_SCOPE.readonly], state: 's' }), { redirect: 'manual' });
  const { refreshToken } = await exchangeCode(app, new URL(res.headers.get('location')!).searchParams.get('code')!);
  const waits: number[] = [];
  return {
    google,
    app,
    refreshToken,
    waits,
    reader: (opts = {}) =>
      gmailReader(
        { kind: 'oauth', app, refreshToken },
        {
          quotaUnitsPerSecond: 1_000_000,
          sleep: async (ms) => {
            waits.push(ms);
          },
          ...opts,
        },
      ),
    count: (path) => google.requests.filter((r) => path.test(r.path)).length,
  };
}
