import * as z from 'zod';
import { escapeHtml } from './html.js';
import {
  Contact,
  ContactCreate,
  ContactDetail,
  ContactGetQuery,
  ContactListQuery,
  ContactPage,
  ContactPatch,
  IdParam,
  LookupQuery,
  TimelinePage,
  TimelineQuery,
} from './contacts/schemas.js';
import { Interaction, InteractionCapture, InteractionHidden } from './interactions/schemas.js';
import { GmailContext, GmailContextBody, GmailLogBody, GmailLogResult } from './gmail/schemas.js';
import { FollowUp, FollowUpCreate, FollowUpListQuery, FollowUpPatch } from './follow-ups/schemas.js';
import { ActivityQuery, MePatch } from './me/routes.js';
import { MemberIdentityParam } from './members/routes.js';
import { ChannelLinkParam, ChannelLinkPut } from './channel-links/routes.js';
import {
  SlackChannelCapture,
  SlackChannelFailed,
  SlackEventClaim,
  SlackEventRelease,
  SlackIdentify,
  SlackMessageDelete,
  SlackMessageEdit,
  SlackTeamBind,
} from './slack/routes.js';
import { InstallTarget, InstallationDelete, InstallationSave, TeamParam } from './slack/installations.js';
import {
  Digest,
  DigestClaimBody,
  DigestSegmentPut,
  DigestClaimResult,
  DigestFinishBody,
  DigestFinishResult,
  DigestSettings,
  DigestSettingsPatch,
  DigestStatus,
  WorkspaceDigestDefaults,
  WorkspaceDigestPatch,
} from './digests/schemas.js';

import { errors, type RouteDoc } from './openapi-kit.js';
import { duplicateDocs } from './duplicates/docs.js';
import { importDocs } from './imports/docs.js';
import { personDocs } from './contacts/person.js';
import { segmentDocs } from './segments/docs.js';

/** Every route the server answers. A test checks this list against the app's routes. */
export const routeDocs: RouteDoc[] = [
  {
    method: 'get', path: '/healthz', summary: 'Liveness and which database is in use', auth: false,
    responses: { 200: { description: 'OK', schema: z.object({ ok: z.boolean(), db: z.enum(['pglite', 'postgres', 'supabase']) }) } },
  },
  { method: 'get', path: '/openapi.json', summary: 'This document', auth: false, responses: { 200: { description: 'OpenAPI 3.1' } } },
  { method: 'get', path: '/docs', summary: 'This document as a web page', auth: false, responses: { 200: { description: 'HTML' } } },
  {
    method: 'get', path: '/c/{id}', summary: 'Where a contact link leads: a page saying how to open it in Slack or Gmail (no CRM data)', auth: false,
    params: IdParam, responses: { 200: { description: 'HTML' } },
  },
  {
    method: 'get', path: '/api/me', summary: 'The caller: member and workspace',
    responses: { 200: { description: 'The caller', schema: z.object({ member: z.unknown(), workspace: z.unknown() }) }, ...errors(401, 403) },
  },
  {
    method: 'patch', path: '/api/me', summary: 'Choose the language Rapport speaks to the caller in', body: MePatch,
    responses: { 200: { description: 'The member after the change', schema: z.unknown() }, ...errors(400, 401, 403) },
  },
  {
    method: 'get', path: '/api/me/activity', summary: 'The latest interactions on contacts the caller owns, each with its contact',
    query: ActivityQuery,
    responses: { 200: { description: 'Newest first', schema: z.object({ items: z.array(z.unknown()) }) }, ...errors(400, 401, 403) },
  },
  {
    method: 'get', path: '/api/me/digest', summary: "The caller's daily digest now, in their timezone: overdue and due-today follow-ups of their team, customers waiting for a reply, customers going cold, yesterday's activity",
    responses: { 200: { description: 'The digest (exact totals, short lists)', schema: Digest }, ...errors(401, 403) },
  },
  {
    method: 'patch', path: '/api/me/digest', summary: "Turn the caller's digest on or off, or choose its time and whether it comes on weekends",
    body: DigestSettingsPatch,
    responses: { 200: { description: 'The settings after the change', schema: DigestSettings }, ...errors(400, 401, 403) },
  },
  {
    method: 'get', path: '/api/me/digest/status', summary: "The caller's digest settings, their latest 14 deliveries, and their team's failed deliveries of the last 14 days",
    responses: { 200: { description: 'Settings and deliveries', schema: DigestStatus }, ...errors(401, 403) },
  },
  {
    method: 'put', path: '/api/me/digest/segment', summary: "Scope the caller's digest to a saved segment (its follow-ups, waiting and going-cold contacts), or null for the whole team",
    body: DigestSegmentPut,
    responses: { 200: { description: 'The segment now in force', schema: z.object({ segment: z.object({ id: z.string(), name: z.string() }).nullable() }) }, ...errors(400, 401, 403, 404) },
  },
  {
    method: 'patch', path: '/api/workspace/digest', summary: "Admins: the workspace's digest defaults (time, weekends, what an empty digest does, reply window, going-cold threshold)",
    body: WorkspaceDigestPatch,
    responses: { 200: { description: 'The defaults after the change', schema: WorkspaceDigestDefaults }, ...errors(400, 401, 403) },
  },
  {
    method: 'get', path: '/api/channel-links', summary: 'Slack channels captured into Rapport, with when each last captured and its last failure',
    responses: { 200: { description: 'Every link of the workspace', schema: z.object({ items: z.array(z.unknown()) }) }, ...errors(401, 403) },
  },
  {
    method: 'put', path: '/api/channel-links/{teamId}/{channelId}', summary: 'Capture a Slack channel, filed under a company or a contact',
    params: ChannelLinkParam, body: ChannelLinkPut,
    responses: { 200: { description: 'The link', schema: z.unknown() }, ...errors(400, 401, 403, 404) },
  },
  {
    method: 'delete', path: '/api/channel-links/{teamId}/{channelId}', summary: 'Stop capturing a Slack channel',
    params: ChannelLinkParam,
    responses: { 200: { description: 'Whether it was linked', schema: z.object({ unlinked: z.boolean() }) }, ...errors(400, 401, 403) },
  },
  {
    method: 'post', path: '/api/slack/identify', summary: 'Slack app only (service secret): the workspace of a Slack team and the member of a Slack user',
    body: SlackIdentify,
    responses: { 200: { description: 'team and member, each null when unknown', schema: z.object({ team: z.unknown(), member: z.unknown() }) }, ...errors(400, 401) },
  },
  {
    method: 'post', path: '/api/slack/team', summary: 'Slack app only (service secret): bind the bot token\'s Slack team to the only workspace (single-workspace mode, at start-up)',
    body: SlackTeamBind,
    responses: { 200: { description: 'The team and its workspace, or null when Rapport holds several workspaces', schema: z.object({ team: z.unknown() }) }, ...errors(400, 401) },
  },
  {
    method: 'post', path: '/api/slack/events/claim', summary: 'Slack app only (service secret): claim an event id for handling (a lease until it is handled)',
    body: SlackEventClaim,
    responses: { 200: { description: 'first: handle it; busy: another delivery holds it unfinished; neither: handled already', schema: z.object({ first: z.boolean(), busy: z.boolean() }) }, ...errors(400, 401) },
  },
  {
    method: 'post', path: '/api/slack/events/handled', summary: 'Slack app only (service secret): an event\'s handling finished, so its retries are dropped',
    body: SlackEventRelease,
    responses: { 200: { description: 'Whether it was claimed', schema: z.object({ handled: z.boolean() }) }, ...errors(400, 401) },
  },
  {
    method: 'post', path: '/api/slack/events/release', summary: 'Slack app only (service secret): forget an event whose handling failed, so its retry runs',
    body: SlackEventRelease,
    responses: { 200: { description: 'Whether it was claimed', schema: z.object({ released: z.boolean() }) }, ...errors(400, 401) },
  },
  {
    method: 'post', path: '/api/slack/messages', summary: 'Slack app only (service secret): capture a message of a linked channel',
    body: SlackChannelCapture,
    responses: {
      200: { description: 'Not linked ({linked: false}), or captured before', schema: z.unknown() },
      201: { description: 'Captured', schema: z.unknown() },
      ...errors(400, 401, 404),
    },
  },
  {
    method: 'post', path: '/api/slack/messages/edit', summary: 'Slack app only (service secret): a captured message was edited in Slack',
    body: SlackMessageEdit,
    responses: { 200: { description: 'Whether it was captured and changed', schema: z.object({ found: z.boolean(), changed: z.boolean().optional() }) }, ...errors(400, 401) },
  },
  {
    method: 'post', path: '/api/slack/messages/delete', summary: 'Slack app only (service secret): a captured message was deleted in Slack (the audit log keeps it)',
    body: SlackMessageDelete,
    responses: { 200: { description: 'Whether it was captured', schema: z.object({ found: z.boolean() }) }, ...errors(400, 401) },
  },
  {
    method: 'post', path: '/api/slack/channels/failed', summary: "Slack app only (service secret): record that a linked channel's message could not be captured",
    body: SlackChannelFailed,
    responses: { 200: { description: 'Recorded', schema: z.object({ recorded: z.boolean() }) }, ...errors(400, 401) },
  },
  {
    method: 'get', path: '/api/slack/installations/target', summary: 'Slack app only (service secret): the workspace an "Add to Slack" install binds to',
    query: InstallTarget,
    responses: { 200: { description: 'The workspace, or null with how many there are', schema: z.unknown() }, ...errors(400, 401) },
  },
  {
    method: 'put', path: '/api/slack/installations/teams/{teamId}', summary: 'Slack app only (service secret): store an installation (bot token encrypted by the Slack app)',
    params: TeamParam, body: InstallationSave,
    responses: { 200: { description: 'The installation, without its token', schema: z.unknown() }, ...errors(400, 401, 404, 409) },
  },
  {
    method: 'get', path: '/api/slack/installations/teams/{teamId}', summary: "Slack app only (service secret): a team's installation, with its encrypted token",
    params: TeamParam,
    responses: { 200: { description: '{installation} (null when not installed)', schema: z.unknown() }, ...errors(400, 401) },
  },
  {
    method: 'delete', path: '/api/slack/installations/teams/{teamId}', summary: "Slack app only (service secret): forget a team's installation and its channel links",
    params: TeamParam, query: InstallationDelete,
    responses: { 200: { description: 'Whether it was installed', schema: z.object({ deleted: z.boolean(), channelLinks: z.number() }) }, ...errors(400, 401) },
  },
  {
    method: 'post', path: '/api/slack/digests/claim', summary: 'Slack app only (service secret): claim the members whose digest is due (a lease; two servers never claim the same member and local date)',
    body: DigestClaimBody,
    responses: { 200: { description: 'The deliveries claimed, latest due first', schema: DigestClaimResult }, ...errors(400, 401) },
  },
  {
    method: 'post', path: '/api/slack/digests/finish', summary: 'Slack app only (service secret): how a claimed delivery ended (sent, skipped, retry at retryAt, failed)',
    body: DigestFinishBody,
    responses: { 200: { description: 'Whether the worker still held the delivery', schema: DigestFinishResult }, ...errors(400, 401) },
  },
  {
    method: 'post', path: '/api/jobs/digests', summary: 'Scheduler (service secret): one digest pass, the same step the in-process scheduler runs each minute',
    responses: {
      200: { description: 'What the pass did', schema: z.object({ claimed: z.number(), sent: z.number(), skipped: z.number(), retried: z.number(), failed: z.number() }) },
      ...errors(401, 503),
    },
  },
  {
    method: 'delete', path: '/api/members/{id}/identities/{identity}',
    summary: "Unlink a member's Google account or Slack user (admin), so that the next one with their email links anew",
    params: MemberIdentityParam,
    responses: { 200: { description: 'The member after the change', schema: z.unknown() }, ...errors(400, 401, 403, 404) },
  },
  {
    method: 'get', path: '/api/contacts', summary: 'List and search contacts (name, any email, company, domain, phone; 1-2 CJK characters work), or a saved segment',
    query: ContactListQuery,
    responses: { 200: { description: 'A page of contacts', schema: ContactPage }, ...errors(400, 401, 403, 404) },
  },
  {
    method: 'post', path: '/api/contacts', summary: 'Create a contact', body: ContactCreate,
    responses: { 201: { description: 'Created', schema: Contact }, ...errors(400, 401, 403, 409, 413) },
  },
  {
    method: 'get', path: '/api/contacts/lookup', summary: 'The contact owning an email address (any of its addresses, any case)',
    query: LookupQuery,
    responses: { 200: { description: 'The contact', schema: Contact }, ...errors(400, 401, 403, 404) },
  },
  {
    method: 'get', path: '/api/contacts/{id}', summary: 'A contact with company, open follow-ups and its latest 10 timeline entries (shared=true: none of them private, for a place others read)',
    params: IdParam, query: ContactGetQuery,
    responses: { 200: { description: 'The contact', schema: ContactDetail }, ...errors(400, 401, 403, 404) },
  },
  {
    method: 'patch', path: '/api/contacts/{id}', summary: 'Change some fields of a contact (audited)', params: IdParam, body: ContactPatch,
    responses: { 200: { description: 'The contact after the change', schema: Contact }, ...errors(400, 401, 403, 404, 409, 413) },
  },
  {
    method: 'get', path: '/api/contacts/{id}/timeline', summary: 'Interactions, follow-ups and changes, newest first',
    params: IdParam, query: TimelineQuery,
    responses: { 200: { description: 'A page of the timeline', schema: TimelinePage }, ...errors(400, 401, 403, 404) },
  },
  {
    method: 'post', path: '/api/interactions', summary: 'Capture an email, Slack message, call, meeting or note (idempotent)',
    body: InteractionCapture,
    responses: {
      201: { description: 'Captured now', schema: Interaction },
      200: { description: "Already captured: the same interaction (only its id, kind, author and time when it is someone else's private one)", schema: z.union([Interaction, InteractionHidden]) },
      ...errors(400, 401, 403, 413),
    },
  },
  {
    method: 'get', path: '/api/interactions/{id}', summary: 'One interaction with its full body', params: IdParam,
    responses: { 200: { description: 'The interaction', schema: Interaction }, ...errors(400, 401, 403, 404) },
  },
  {
    method: 'get', path: '/api/follow-ups', summary: "Open follow-ups: mine, my team's or a member's; overdue, today or this week",
    query: FollowUpListQuery,
    responses: { 200: { description: 'Follow-ups by due time', schema: z.object({ items: z.array(FollowUp) }) }, ...errors(400, 401, 403) },
  },
  {
    method: 'post', path: '/api/follow-ups', summary: 'Create a follow-up', body: FollowUpCreate,
    responses: {
      201: { description: 'Created', schema: FollowUp },
      200: { description: 'Created before under the same clientKey: that follow-up', schema: FollowUp },
      ...errors(400, 401, 403, 404, 413),
    },
  },
  {
    method: 'patch', path: '/api/follow-ups/{id}', summary: 'Mark done, reopen, reschedule or reassign a follow-up', params: IdParam,
    body: FollowUpPatch,
    responses: { 200: { description: 'The follow-up after the change', schema: FollowUp }, ...errors(400, 401, 403, 404, 413) },
  },
  {
    method: 'post', path: '/api/gmail/context', summary: "Gmail add-on: for an open message, the caller, whether it is logged (and by whom), and up to 10 external people with their contact card or a suggestion to create one",
    body: GmailContextBody,
    responses: { 200: { description: 'The sidebar', schema: GmailContext }, ...errors(400, 401, 403, 413) },
  },
  {
    method: 'post', path: '/api/gmail/log', summary: 'Gmail add-on: log 1-100 messages (an email or a whole thread) in one transaction; a Message-ID already logged is not logged again',
    body: GmailLogBody,
    responses: {
      201: { description: 'At least one message logged now; one item per message, in order', schema: GmailLogResult },
      200: { description: 'Every message was logged before', schema: GmailLogResult },
      ...errors(400, 401, 403, 413),
    },
  },
  ...duplicateDocs,
  ...importDocs,
  ...personDocs,
  ...segmentDocs,
];

function jsonSchema(schema: z.ZodType, io: 'input' | 'output') {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

function parameters(where: 'path' | 'query', schema?: z.ZodObject) {
  if (!schema) return [];
  const js = jsonSchema(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(js.properties ?? {}).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || (js.required ?? []).includes(name),
    schema: s,
  }));
}

/** The OpenAPI 3.1 document, built once from routeDocs. */
export function openApiDocument(serverUrl?: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routeDocs) {
    paths[r.path] ??= {};
    paths[r.path]![r.method] = {
      summary: r.summary,
      ...(r.auth === false ? { security: [] } : {}),
      parameters: [...parameters('path', r.params), ...parameters('query', r.query)],
      ...(r.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(r.body, 'input') } } } }
        : {}),
      responses: Object.fromEntries(
        Object.entries(r.responses).map(([code, res]) => [
          code,
          {
            description: res.description,
            ...(res.schema ? { content: { 'application/json': { schema: jsonSchema(res.schema, 'output') } } } : {}),
          },
        ]),
      ),
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Rapport API',
      version: '1',
      description:
        'The CRM behind the Rapport Slack app and Gmail add-on. Every /api route needs `Authorization: Bearer <token>`: a personal API token (rpt_...) or a Google ID token. Errors are {"error":{"code","message","details"?}}; messages follow the member\'s locale or Accept-Language (en, ja, zh).',
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'rpt_... API token or Google ID token' } },
    },
    security: [{ bearer: [] }],
    paths,
  };
}

/** A plain page listing every route with its parameters and body schema; no scripts, no CDN. */
export function docsPage(doc: ReturnType<typeof openApiDocument>): string {
  const sections = Object.entries(doc.paths)
    .flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => {
        const o = op as { summary: string; parameters: { name: string; in: string; required: boolean }[]; requestBody?: unknown; responses: Record<string, { description: string }> };
        const params = o.parameters.length
          ? `<p>Parameters: ${o.parameters.map((p) => `<code>${escapeHtml(p.name)}</code> (${p.in}${p.required ? ', required' : ''})`).join(', ')}</p>`
          : '';
        const body = o.requestBody
          ? `<details><summary>Request body</summary><pre>${escapeHtml(JSON.stringify((o.requestBody as { content: { 'application/json': { schema: unknown } } }).content['application/json'].schema, null, 2))}</pre></details>`
          : '';
        const responses = Object.entries(o.responses).map(([code, r]) => `<li><b>${code}</b> ${escapeHtml(r.description)}</li>`).join('');
        return `<section><h2><span class="m">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code></h2><p>${escapeHtml(o.summary)}</p>${params}${body}<ul>${responses}</ul></section>`;
      }),
    )
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Rapport API</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}section{border-top:1px solid #ddd;padding:.5rem 0}.m{font-size:.8em;background:#333;color:#fff;padding:.1em .4em;border-radius:3px}pre{background:#f6f6f6;padding:.5rem;overflow:auto}</style>
</head><body><h1>Rapport API</h1><p>${escapeHtml(doc.info.description)}</p><p>Machine-readable: <a href="/openapi.json">/openapi.json</a></p>${sections}</body></html>`;
}
