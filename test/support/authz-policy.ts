import { randomUUID } from 'node:crypto';
import type { caller } from './http.js';
import type { TestWorkspace } from './fixtures.js';
import type { GmailSettings } from '../../backend/google/settings.js';
import { reconnectQuery, signConsentState } from '../../backend/google/state.js';

/**
 * Who may call each route, declared once (test/backend/authz-matrix.test.ts
 * runs it over the routes of GET /openapi.json, so a route without a policy
 * here fails that test until someone says who may call it).
 *
 * - public: answers anyone, whatever credential comes with the request;
 * - service: Rapport's own processes only (Rapport-Service secret): every
 *   member credential is refused with 401;
 * - inbound: the mail relay only (RAPPORT_INBOUND_SECRET, /inbound/*): every
 *   member credential and the service secret are refused with 401;
 * - member: any member of the workspace, with `ok` as the status of success,
 *   `roles` for the roles that get something else (403), and `object` when
 *   the request names an object of workspace A (path or body): a member of
 *   another workspace gets 404, as if it did not exist.
 */
export type Role = 'rep' | 'peer' | 'manager' | 'admin';
export type Request = [method: string, path: string, body?: unknown];

export interface Arranged {
  a: TestWorkspace;
  /** A's rep: the author/creator of A's objects below */
  asRep: ReturnType<typeof caller>;
  /** A's admin: arranges members to deactivate */
  asAdmin: ReturnType<typeof caller>;
  ids: { contact: string; interaction: string; followUp: string; segment: string; deal: string };
  /** a waiting-for-reply alert to A's rep about ids.interaction (issue 19) */
  alert?: string;
}

export type Policy =
  | { kind: 'public'; request: (x: Arranged) => Request; ok?: number }
  | { kind: 'service' }
  | { kind: 'inbound' }
  | {
      kind: 'member';
      ok: number;
      object?: boolean;
      roles?: Partial<Record<Role, number>>;
      /** built per call, so a call that consumes an object (delete, merge, undo) gets its own */
      request: (x: Arranged) => Request | Promise<Request>;
    };

/** A's contact, which only A holds: lookups of it by another workspace must find nothing. */
export const PERSON = 'authz.person@customer.example';
/** Where captures go: another workspace capturing it makes its own contact, never touching PERSON. */
const MAIL = 'authz.mail@customer.example';

const unique = () => randomUUID().slice(0, 8);
const freshEmail = () => `p-${unique()}@customer.example`;

async function freshContact(x: Arranged, opts: { ownerless?: boolean } = {}): Promise<string> {
  const res = await x.asRep('POST', '/api/contacts', { name: `Fresh ${unique()}`, emails: [freshEmail()] });
  if (res.status !== 201) throw new Error(`arranging a contact: ${res.status} ${JSON.stringify(res.body)}`);
  if (opts.ownerless) await x.asRep('PATCH', `/api/contacts/${res.body.id}`, { ownerEmail: null });
  return res.body.id;
}

/** A's deal, made by the rep: any member of A may read and change it, as a contact. */
async function freshDeal(x: Arranged): Promise<string> {
  const res = await x.asRep('POST', '/api/deals', { name: `Deal ${unique()}`, contacts: [{ id: x.ids.contact }] });
  if (res.status !== 201) throw new Error(`arranging a deal: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

/** A company of A, made by the rep (each call its own, for merges and undos). */
async function freshCompany(x: Arranged): Promise<string> {
  const res = await x.asRep('POST', '/api/companies', { name: `Company ${unique()}`, domains: [`c-${unique()}.example`] });
  if (res.status !== 201) throw new Error(`arranging a company: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

async function freshMember(x: Arranged): Promise<string> {
  const res = await x.asAdmin('POST', '/api/members', { email: `leaver-${unique()}@${x.a.domain}`, name: 'Leaver' });
  if (res.status !== 201) throw new Error(`arranging a member: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

const member = (
  ok: number,
  request: (x: Arranged) => Request | Promise<Request>,
  more: { object?: boolean; roles?: Partial<Record<Role, number>> } = {},
): Policy => ({
  kind: 'member',
  ok,
  request,
  ...more,
});
const object = (ok: number, request: (x: Arranged) => Request | Promise<Request>, roles?: Partial<Record<Role, number>>): Policy =>
  member(ok, request, { object: true, ...(roles ? { roles } : {}) });
const SERVICE: Policy = { kind: 'service' };

/** Gmail sync as the matrix's app has it: consent pages are built, never followed (no request leaves the test). */
export const AUTHZ_GMAIL: GmailSettings = {
  serverKey: Buffer.alloc(32, 3),
  publicUrl: 'http://rapport.test',
  oauth: {
    clientId: 'authz.apps.googleusercontent.com',
    clientSecret: 'authz-secret',
    redirectUri: 'http://rapport.test/google/oauth_callback',
    oauthUrl: 'http://127.0.0.1:9',
  },
  delegation: { keyFile: 'unused-by-these-routes.json' },
  endpoints: { oauthUrl: 'http://127.0.0.1:9', apiUrl: 'http://127.0.0.1:9/' },
  importDays: 90,
  pollSeconds: 120,
  quotaUnitsPerSecond: 250,
};
const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;
const INBOUND: Policy = { kind: 'inbound' };

export const POLICY: Record<string, Policy> = {
  'get /healthz': { kind: 'public', request: () => ['GET', '/healthz'] },
  'get /openapi.json': { kind: 'public', request: () => ['GET', '/openapi.json'] },
  'get /docs': { kind: 'public', request: () => ['GET', '/docs'] },

  'get /api/me': member(200, () => ['GET', '/api/me']),
  'patch /api/me': member(200, () => ['PATCH', '/api/me', { locale: 'en' }]),
  'post /api/me/welcome': member(200, () => ['POST', '/api/me/welcome']),
  'get /api/me/capture': member(200, () => ['GET', '/api/me/capture']),
  'post /api/me/capture/rotate': member(200, () => ['POST', '/api/me/capture/rotate']),
  'get /api/me/mailbox': member(200, () => ['GET', '/api/me/mailbox']),
  'post /api/me/mailbox': member(200, () => ['POST', '/api/me/mailbox', {}]),
  'patch /api/me/mailbox': member(200, () => ['PATCH', '/api/me/mailbox', { policy: 'known', blockList: ['spam.example'] }]),
  'delete /api/me/mailbox': member(200, () => ['DELETE', '/api/me/mailbox']),
  'post /api/me/signin-link': member(200, () => ['POST', '/api/me/signin-link', { next: '/account' }]),
  'get /api/me/working-hours': member(200, () => ['GET', '/api/me/working-hours']),
  'put /api/me/working-hours': member(200, () => ['PUT', '/api/me/working-hours', { start: '09:00', end: '18:00' }]),
  'put /api/me/brief': member(200, () => ['PUT', '/api/me/brief', { minutes: 15 }]),
  // only the member's own meeting has a brief (calendar-briefs.test.ts reads one): any other id is 404 for everyone
  'get /api/me/meetings/{id}/brief': member(404, () => ['GET', '/api/me/meetings/00000000-0000-4000-8000-00000000b00f/brief']),
  'get /api/me/meetings': member(200, () => ['GET', '/api/me/meetings?from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z']),
  'get /api/mailboxes': member(200, () => ['GET', '/api/mailboxes'], { roles: { rep: 403, peer: 403, manager: 403 } }),
  // A's members, named by id: another workspace's admin finds none of them
  'post /api/mailboxes/delegated': object(200, (x) => ['POST', '/api/mailboxes/delegated', { memberIds: [x.a.rep2.id] }], {
    rep: 403,
    peer: 403,
    manager: 403,
  }),
  // the member who declined at Google comes back to a page; the credential the browser carries plays no part
  'get /google/oauth_callback': {
    kind: 'public',
    request: (x) => [
      'GET',
      `/google/oauth_callback?error=access_denied&state=${signConsentState(AUTHZ_GMAIL.serverKey, { workspaceId: x.a.id, memberId: x.a.rep.id }, inAnHour())}`,
    ],
  },
  'get /google/connect': {
    kind: 'public',
    ok: 302,
    request: (x) => ['GET', `/google/connect?${reconnectQuery(AUTHZ_GMAIL.serverKey, { workspaceId: x.a.id, memberId: x.a.rep.id }, inAnHour())}`],
  },
  'get /api/me/activity': member(200, () => ['GET', '/api/me/activity']),
  'get /api/me/digest': member(200, () => ['GET', '/api/me/digest']),
  'patch /api/me/digest': member(200, () => ['PATCH', '/api/me/digest', { enabled: true, time: '07:30' }]),
  'get /api/me/digest/status': member(200, () => ['GET', '/api/me/digest/status']),
  'put /api/me/digest/segment': object(200, (x) => ['PUT', '/api/me/digest/segment', { segment: x.ids.segment }]),
  'patch /api/workspace/digest': member(200, () => ['PATCH', '/api/workspace/digest', { time: '06:00' }], {
    roles: { rep: 403, peer: 403, manager: 403 },
  }),
  'get /api/channel-links': member(200, () => ['GET', '/api/channel-links']),
  // alerts (issue 19): one's own settings; the reply window (admins change it); channel rules (managers and admins)
  'get /api/me/alerts': member(200, () => ['GET', '/api/me/alerts']),
  'put /api/me/alerts': member(200, () => ['PUT', '/api/me/alerts', { kinds: { deal_won: 'off' } }]),
  'get /api/workspace/alerts': member(200, () => ['GET', '/api/workspace/alerts']),
  'patch /api/workspace/alerts': member(200, () => ['PATCH', '/api/workspace/alerts', { replyMinutes: 240 }], {
    roles: { rep: 403, peer: 403, manager: 403 },
  }),
  'get /api/alert-rules': member(200, () => ['GET', '/api/alert-rules'], { roles: { rep: 403, peer: 403 } }),
  // each workspace has its own Slack team (the matrix's app answers every channel as internal)
  'post /api/alert-rules': member(201, () => ['POST', '/api/alert-rules', { channelId: 'C0ALERTS', kinds: ['deal_won'] }], {
    roles: { rep: 403, peer: 403 },
  }),
  'delete /api/alert-rules/{id}': object(
    200,
    async (x) => {
      const made = await x.asAdmin('POST', '/api/alert-rules', { channelId: 'C0ALERTS', kinds: ['deal_lost'] });
      return ['DELETE', `/api/alert-rules/${made.body.id}`];
    },
    { rep: 403, peer: 403, manager: 403 },
  ),
  'put /api/channel-links/{teamId}/{channelId}': object(200, (x) => ['PUT', '/api/channel-links/T0AUTHZ/C0AUTHZ', { contactId: x.ids.contact }]),
  'delete /api/channel-links/{teamId}/{channelId}': member(200, () => ['DELETE', '/api/channel-links/T0AUTHZ/C0AUTHZ']),

  // an admin unlinks a member's Google account or Slack user (rep2 has no Google account: unlinking it changes nothing else)
  'delete /api/members/{id}/identities/{identity}': object(200, (x) => ['DELETE', `/api/members/${x.a.rep2.id}/identities/google`], {
    rep: 403,
    peer: 403,
    manager: 403,
  }),

  'get /api/members': member(200, () => ['GET', '/api/members']),
  'post /api/members': member(201, (x) => ['POST', '/api/members', { email: `m-${unique()}@${x.a.domain}`, name: 'New member' }], {
    roles: { rep: 403, peer: 403, manager: 403 },
  }),
  // a name is the admin's to change (a member changes only their own time zone and language)
  'patch /api/members/{id}': object(200, (x) => ['PATCH', `/api/members/${x.a.rep2.id}`, { name: x.a.rep2.name }], {
    rep: 403,
    peer: 403,
    manager: 403,
  }),
  'post /api/members/{id}/deactivate': object(200, async (x) => ['POST', `/api/members/${await freshMember(x)}/deactivate`, { reassignTo: x.a.rep.id }], {
    rep: 403,
    peer: 403,
    manager: 403,
  }),
  // reactivating an active member changes nothing
  'post /api/members/{id}/reactivate': object(200, (x) => ['POST', `/api/members/${x.a.rep2.id}/reactivate`], {
    rep: 403,
    peer: 403,
    manager: 403,
  }),
  'get /api/workspace': member(200, () => ['GET', '/api/workspace']),
  'patch /api/workspace': member(200, () => ['PATCH', '/api/workspace', { joinPolicy: 'invite' }], {
    roles: { rep: 403, peer: 403, manager: 403 },
  }),
  'get /api/tokens': member(200, () => ['GET', '/api/tokens']),
  'post /api/tokens': member(201, () => ['POST', '/api/tokens', { label: 'authz', expiresInDays: 1 }]),
  // the rep's own token: theirs and an admin's to revoke, nobody else's to see
  'delete /api/tokens/{id}': object(200, async (x) => ['DELETE', `/api/tokens/${(await x.asRep('POST', '/api/tokens', { label: 'to revoke' })).body.id}`], {
    peer: 404,
    manager: 404,
  }),

  'get /api/contacts': member(200, () => ['GET', '/api/contacts?q=Fresh']),
  'post /api/contacts': member(201, () => ['POST', '/api/contacts', { name: `New ${unique()}`, emails: [freshEmail()] }]),
  'get /api/contacts/lookup': object(200, () => ['GET', `/api/contacts/lookup?email=${PERSON}`]),
  'get /api/contacts/{id}': object(200, (x) => ['GET', `/api/contacts/${x.ids.contact}`]),
  'patch /api/contacts/{id}': object(200, (x) => ['PATCH', `/api/contacts/${x.ids.contact}`, { title: `T ${unique()}` }]),
  'get /api/contacts/{id}/timeline': object(200, (x) => ['GET', `/api/contacts/${x.ids.contact}/timeline`]),
  'post /api/contacts/{id}/merge': object(200, async (x) => ['POST', `/api/contacts/${await freshContact(x)}/merge`, { from: [await freshContact(x)] }]),
  // a person's data and their erasure: admins only
  'get /api/contacts/{id}/export': object(200, (x) => ['GET', `/api/contacts/${x.ids.contact}/export`], {
    rep: 403,
    peer: 403,
    manager: 403,
  }),
  'delete /api/contacts/{id}': object(200, async (x) => ['DELETE', `/api/contacts/${await freshContact(x)}?erase=true`], {
    rep: 403,
    peer: 403,
    manager: 403,
  }),
  // the whole workspace's book: managers and admins
  'get /api/contacts/export': member(200, () => ['GET', '/api/contacts/export?format=json'], { roles: { rep: 403, peer: 403 } }),

  'post /api/interactions': member(201, () => [
    'POST',
    '/api/interactions',
    {
      kind: 'note',
      occurredAt: '2026-11-21T00:00:00Z',
      source: 'api',
      externalId: `note-${unique()}`,
      body: 'n',
      participants: [{ role: 'about', email: MAIL }],
    },
  ]),
  'get /api/interactions/{id}': object(200, (x) => ['GET', `/api/interactions/${x.ids.interaction}`]),

  'get /api/follow-ups': member(200, () => ['GET', '/api/follow-ups']),
  'post /api/follow-ups': object(201, (x) => ['POST', '/api/follow-ups', { contactId: x.ids.contact, dueAt: '2026-12-01T00:00:00Z' }]),
  // the rep's follow-up: the rep, the rep's manager and an admin may change it; another rep may not
  'patch /api/follow-ups/{id}': object(200, (x) => ['PATCH', `/api/follow-ups/${x.ids.followUp}`, { dueAt: '2026-12-02T00:00:00Z' }], {
    peer: 403,
  }),

  // the rep's deal: the rep, the rep's manager and an admin may snooze it; another rep may not
  'post /api/deals/{id}/snooze': object(200, (x) => ['POST', `/api/deals/${x.ids.deal}/snooze`, { days: 7 }], { peer: 403 }),

  // the rep's alert: only its recipient acts on it (a channel rule's alert: anyone who may see its subject)
  'post /api/alerts/{id}/done': object(200, (x) => ['POST', `/api/alerts/${x.alert}/done`], { peer: 403, manager: 403, admin: 403 }),
  'post /api/alerts/{id}/snooze': object(200, (x) => ['POST', `/api/alerts/${x.alert}/snooze`, { minutes: 60 }], { peer: 403, manager: 403, admin: 403 }),
  'post /api/alerts/{id}/assign': object(200, (x) => ['POST', `/api/alerts/${x.alert}/assign`], { peer: 403, manager: 403, admin: 403 }),

  'post /api/gmail/context': member(200, (x) => [
    'POST',
    '/api/gmail/context',
    {
      message: {
        messageId: '<authz@customer.example>',
        from: { email: MAIL },
        to: [{ email: x.a.rep.email }],
        cc: [],
      },
    },
  ]),
  'post /api/gmail/log': member(201, (x) => [
    'POST',
    '/api/gmail/log',
    {
      messages: [
        {
          messageId: `<${unique()}@customer.example>`,
          gmailMessageId: '18c0ffee',
          threadId: '18c0ffee',
          date: '2026-11-21T00:00:00Z',
          from: { email: MAIL },
          to: [{ email: x.a.rep.email }],
          cc: [],
        },
      ],
    },
  ]),

  'get /api/companies': member(200, () => ['GET', '/api/companies?q=Company']),
  'post /api/companies': member(201, () => ['POST', '/api/companies', { name: `New ${unique()}` }]),
  'get /api/companies/duplicates': member(200, () => ['GET', '/api/companies/duplicates?limit=10']),
  'get /api/companies/{id}': object(200, async (x) => ['GET', `/api/companies/${await freshCompany(x)}`]),
  'patch /api/companies/{id}': object(200, async (x) => ['PATCH', `/api/companies/${await freshCompany(x)}`, { industry: `I ${unique()}` }]),
  'get /api/companies/{id}/timeline': object(200, async (x) => ['GET', `/api/companies/${await freshCompany(x)}/timeline`]),
  'post /api/companies/{id}/merge': object(200, async (x) => ['POST', `/api/companies/${await freshCompany(x)}/merge`, { from: [await freshCompany(x)] }]),
  'post /api/companies/merges/{id}/undo': object(200, async (x) => {
    const merged = await x.asRep('POST', `/api/companies/${await freshCompany(x)}/merge`, { from: [await freshCompany(x)] });
    return ['POST', `/api/companies/merges/${merged.body.merge.id}/undo`];
  }),
  'get /api/duplicates': member(200, () => ['GET', '/api/duplicates?limit=10']),
  'post /api/duplicates/dismiss': object(200, async (x) => ['POST', '/api/duplicates/dismiss', { a: x.ids.contact, b: await freshContact(x) }]),
  'post /api/merges/{id}/undo': object(200, async (x) => {
    const merged = await x.asRep('POST', `/api/contacts/${await freshContact(x)}/merge`, { from: [await freshContact(x)] });
    return ['POST', `/api/merges/${merged.body.merge.id}/undo`];
  }),
  'post /api/imports': member(201, () => ['POST', '/api/imports', { csv: `Name,Email\nImported ${unique()},${freshEmail()}\n` }]),

  'get /api/segments': member(200, () => ['GET', '/api/segments']),
  'post /api/segments': member(201, () => ['POST', '/api/segments', { name: `Seg ${unique()}`, filter: { tag: 't' } }]),
  // the rep's segment: its creator or an admin may delete it
  'delete /api/segments/{id}': object(
    200,
    async (x) => {
      const made = await x.asRep('POST', '/api/segments', { name: `Doomed ${unique()}`, filter: { tag: 't' } });
      return ['DELETE', `/api/segments/${made.body.id}`];
    },
    { peer: 403, manager: 403 },
  ),
  'get /api/stats': member(200, () => ['GET', '/api/stats?period=month']),

  // deals and the pipeline: any member reads and changes deals; an admin sets the pipeline
  'get /api/pipeline': member(200, () => ['GET', '/api/pipeline']),
  'put /api/pipeline': member(
    200,
    () => [
      'PUT',
      '/api/pipeline',
      {
        stages: [
          { key: 'qualified', name: 'Qualified', probability: 10 },
          { key: 'meeting', name: 'Meeting held', probability: 25 },
          { key: 'proposal', name: 'Proposal sent', probability: 50 },
          { key: 'negotiation', name: 'Negotiation', probability: 75 },
          { key: 'commit', name: 'Verbal yes', probability: 90 },
        ],
      },
    ],
    { roles: { rep: 403, peer: 403, manager: 403 } },
  ),
  'get /api/deals': member(200, () => ['GET', '/api/deals?owner=me']),
  // naming A's contact: its deals are A's
  'post /api/deals': object(201, (x) => ['POST', '/api/deals', { name: `New deal ${unique()}`, contacts: [{ id: x.ids.contact, role: 'champion' }] }]),
  'get /api/deals/{id}': object(200, async (x) => ['GET', `/api/deals/${await freshDeal(x)}`]),
  'patch /api/deals/{id}': object(200, async (x) => ['PATCH', `/api/deals/${await freshDeal(x)}`, { stage: 'proposal', amount: 100, currency: 'USD' }]),
  'get /api/deals/{id}/timeline': object(200, async (x) => ['GET', `/api/deals/${await freshDeal(x)}/timeline`]),
  'get /api/tidy': member(200, () => ['GET', '/api/tidy?limit=10']),
  // a contact nobody owns, so that taking it is open to every member
  'post /api/tidy/fix': object(200, async (x) => ['POST', '/api/tidy/fix', { contactId: await freshContact(x, { ownerless: true }), fix: 'owner_me' }]),

  'post /api/slack/identify': SERVICE,
  'post /api/slack/team': SERVICE,
  'post /api/slack/events/claim': SERVICE,
  'post /api/slack/events/release': SERVICE,
  'post /api/slack/events/handled': SERVICE,
  'post /api/slack/messages': SERVICE,
  'post /api/slack/messages/edit': SERVICE,
  'post /api/slack/messages/delete': SERVICE,
  'post /api/slack/channels/failed': SERVICE,
  'post /api/slack/alert-rules/stopped': SERVICE,
  'get /api/slack/installations/target': SERVICE,
  'put /api/slack/installations/teams/{teamId}': SERVICE,
  'get /api/slack/installations/teams/{teamId}': SERVICE,
  'delete /api/slack/installations/teams/{teamId}': SERVICE,
  'post /api/slack/digests/claim': SERVICE,
  'post /api/slack/digests/finish': SERVICE,
  'post /api/slack/briefs/claim': SERVICE,
  'post /api/slack/briefs/finish': SERVICE,
  'post /api/slack/alerts/claim': SERVICE,
  'post /api/slack/alerts/finish': SERVICE,
  'post /api/slack/briefs/nudges/claim': SERVICE,
  'post /api/jobs/digests': SERVICE,
  'post /api/jobs/mailboxes': SERVICE,
  'post /inbound/mime': INBOUND,
  'post /inbound/postmark': INBOUND,
};

/** A documented path with its parameters filled in, for routes that refuse before reading them. */
export function fillPath(path: string): string {
  return path.replace(/\{(\w+)\}/g, (_m, name: string) => (/team/i.test(name) ? 'T0AUTHZ' : /channel/i.test(name) ? 'C0AUTHZ' : randomUUID()));
}
