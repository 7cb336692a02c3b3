/**
 * A person's data rights: GET /api/contacts/:id/export (everything Rapport
 * holds about them) and DELETE /api/contacts/:id?erase=true (erase it), both
 * for admins only. What erasure removes and what it keeps is decided in the
 * person_export_erase migration.
 */
import { Hono } from 'hono';
import * as z from 'zod';
import { ApiError } from '../errors.js';
import { call, validate } from '../http.js';
import { errors, type RouteDoc } from '../openapi-kit.js';
import type { AppEnv } from '../types.js';
import { FollowUp } from '../follow-ups/schemas.js';
import { Interaction } from '../interactions/schemas.js';
import { Contact, IdParam } from './schemas.js';

export const EraseQuery = z.strictObject({
  erase: z.enum(['true', 'false']).optional().describe('must be true: erasure cannot be undone'),
});

const AuditEntry = z.object({
  at: z.string(),
  entityType: z.string(),
  entityId: z.string(),
  action: z.string(),
  source: z.string(),
  actor: z.object({ id: z.string(), name: z.string(), email: z.string() }).nullable(),
  before: z.unknown(),
  after: z.unknown(),
});

export const PersonExport = z.object({
  contact: Contact,
  mergedContacts: z.array(Contact).describe('contacts merged into this one'),
  interactions: z.array(Interaction.extend({ deletedAt: z.string().nullable() })).describe('every interaction the person took part in, private ones included'),
  followUps: z.array(FollowUp),
  audit: z.array(AuditEntry).describe('changes to the contact and its follow-ups'),
  exportedAt: z.string(),
});

export const EraseResult = z.object({
  erased: z.literal(true),
  id: z.string(),
  contacts: z.number().int().describe('the contact and the contacts merged into it'),
  interactionsDeleted: z.number().int().describe('interactions no other external person took part in'),
  interactionsRedacted: z.number().int().describe('interactions kept for their other participants, with the person removed'),
  followUps: z.number().int(),
  auditEntries: z.number().int().describe('audit entries anonymised'),
});

export const personRoutes = new Hono<AppEnv>()
  .get('/:id/export', validate('param', IdParam), async (c) => {
    return c.json(await call<Record<string, unknown>>(c, 'contact_export', c.req.valid('param')));
  })
  .delete('/:id', validate('param', IdParam), validate('query', EraseQuery), async (c) => {
    const { id } = c.req.valid('param');
    if (c.req.valid('query').erase !== 'true') throw new ApiError(400, 'contact_erase_confirm', { id });
    return c.json(await call<Record<string, unknown>>(c, 'contact_erase', { id }));
  });

/** The OpenAPI entries of a person's export and erasure. */
export const personDocs: RouteDoc[] = [
  {
    method: 'get', path: '/api/contacts/{id}/export',
    summary: 'Everything Rapport holds about a person: contact, addresses, company, interactions, follow-ups, audit entries (admin only)',
    params: IdParam,
    responses: { 200: { description: 'The person\'s data', schema: PersonExport }, ...errors(400, 401, 403, 404) },
  },
  {
    method: 'delete', path: '/api/contacts/{id}',
    summary:
      'Erase a person (admin only, ?erase=true): the contact, its addresses, follow-ups and participant rows are deleted; ' +
      'interactions only they took part in are deleted, others keep their other participants with the person\'s name, addresses ' +
      'and phone replaced by [erased]; audit entries about them are anonymised and an erase entry records who erased them',
    params: IdParam, query: EraseQuery,
    responses: { 200: { description: 'Erased', schema: EraseResult }, ...errors(400, 401, 403, 404) },
  },
];
