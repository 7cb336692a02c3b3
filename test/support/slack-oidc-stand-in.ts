/**
 * A stand-in for "Sign in with Slack" (Slack's OpenID Connect), in Slack's
 * documented wire format: the authorize page (which consents at once as the
 * user chosen with signInAs, redirecting back with a code and the state) and
 * the Web API method openid.connect.token (form-encoded client_id,
 * client_secret, code, redirect_uri; answers { ok, access_token, id_token }).
 * In-process tests reach the token method through msw at slack.com; a real
 * browser reaches both on a loopback server (serve()).
 *   const slack = slackOidcStandIn({ clientId, clientSecret }); slack.signInAs({ userId: 'U1', teamId: 'T1', email })
 *   const back = slack.authorize(location) // the callback URL, with ?code=…&state=…
 */
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { http, HttpResponse } from 'msw';

export interface SlackSignInUser {
  userId: string;
  teamId: string;
  email: string;
  emailVerified?: boolean;
  name?: string;
  locale?: string;
  /** a nonce other than the one asked for (a replayed or forged ID token) */
  nonce?: string;
}

const b64json = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

export function slackOidcStandIn(client: { clientId: string; clientSecret: string }) {
  const signing = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomBytes(6).toString('hex');
  const codes = new Map<string, { user: SlackSignInUser; nonce: string; redirectUri: string; used: boolean }>();
  let user: SlackSignInUser | undefined;
  const tokenCalls: Record<string, string>[] = [];

  /** Slack's authorize page, consenting as the chosen user: where it sends the browser back, or an error to show. */
  function authorize(url: string): string {
    const q = new URL(url).searchParams;
    if (q.get('client_id') !== client.clientId) throw new Error('invalid_client_id');
    if (q.get('response_type') !== 'code' || !(q.get('scope') ?? '').split(' ').includes('openid')) throw new Error('invalid_scope');
    const redirectUri = q.get('redirect_uri') ?? '';
    const back = new URL(redirectUri);
    if (!user) {
      back.searchParams.set('error', 'access_denied');
    } else {
      const code = `${randomBytes(4).toString('hex')}.${randomBytes(12).toString('hex')}`;
      codes.set(code, { user, nonce: q.get('nonce') ?? '', redirectUri, used: false });
      back.searchParams.set('code', code);
    }
    if (q.get('state') !== null) back.searchParams.set('state', q.get('state')!);
    return back.toString();
  }

  function idToken(u: SlackSignInUser, nonce: string): string {
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: 'https://slack.com',
      sub: u.userId,
      aud: client.clientId,
      exp: now + 3600,
      iat: now,
      auth_time: now,
      nonce: u.nonce ?? nonce,
      'https://slack.com/user_id': u.userId,
      'https://slack.com/team_id': u.teamId,
      email: u.email,
      email_verified: u.emailVerified ?? true,
      name: u.name ?? u.email.split('@')[0],
      locale: u.locale ?? 'en-US',
    };
    const input = `${b64json({ alg: 'RS256', kid, typ: 'JWT' })}.${b64json(claims)}`;
    return `${input}.${sign('sha256', Buffer.from(input), signing.privateKey).toString('base64url')}`;
  }

  /** openid.connect.token: Slack answers 200 with ok false for every refusal. */
  function token(form: URLSearchParams, authorization: string | null): Record<string, unknown> {
    const basic = /^Basic (.+)$/i.exec(authorization ?? '')?.[1];
    const [id, secret] = basic ? Buffer.from(basic, 'base64').toString().split(':') : [form.get('client_id'), form.get('client_secret')];
    tokenCalls.push(Object.fromEntries(form));
    if (id !== client.clientId || secret !== client.clientSecret) return { ok: false, error: 'invalid_client' };
    const c = codes.get(form.get('code') ?? '');
    if (!c || c.used) return { ok: false, error: 'invalid_code' };
    if (c.redirectUri !== form.get('redirect_uri')) return { ok: false, error: 'bad_redirect_uri' };
    c.used = true;
    return { ok: true, access_token: `xoxp-${randomBytes(10).toString('hex')}`, token_type: 'Bearer', id_token: idToken(c.user, c.nonce) };
  }

  return {
    tokenCalls,
    signInAs(u: SlackSignInUser | undefined) {
      user = u;
    },
    authorize,
    /** msw at slack.com, for in-process tests */
    handlers: [
      http.post('https://slack.com/api/openid.connect.token', async ({ request }) =>
        HttpResponse.json(token(new URLSearchParams(await request.text()), request.headers.get('authorization'))),
      ),
    ],
    /** on loopback, for a real browser: SLACK_OAUTH_URL and SLACK_API_URL (url + '/api/') */
    async serve(): Promise<{ url: string; close(): Promise<void> }> {
      const server = createServer(async (req, res) => {
        const at = new URL(req.url ?? '/', 'http://127.0.0.1');
        const chunks: Buffer[] = [];
        for await (const c of req) chunks.push(c as Buffer);
        if (req.method === 'GET' && at.pathname === '/openid/connect/authorize') {
          try {
            res.writeHead(302, { location: authorize(at.toString()) }).end();
          } catch (e) {
            res.writeHead(400, { 'content-type': 'text/plain' }).end(String(e));
          }
          return;
        }
        if (req.method === 'POST' && at.pathname === '/api/openid.connect.token') {
          const body = token(new URLSearchParams(Buffer.concat(chunks).toString('utf8')), req.headers.authorization ?? null);
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
          return;
        }
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, error: 'unknown_method' }));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      return {
        url,
        close: () =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          }),
      };
    },
  };
}
