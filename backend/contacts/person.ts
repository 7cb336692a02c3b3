/**
 * A person's data rights: GET /api/contacts/:id/export (everything Rapport
 * holds about them) and DELETE /api/contacts/:id?erase=true (erase it), both
 * for admins only. What erasure removes and what it keeps is decided in the
 * person_export_erase migration.
 */
import * as z from 'zod';
import { ApiError } from '../errors.js';
import { call } from '../http.js';
import { errors, memberRoute, ok, router } from '../openapi/route.js';
import { FollowUp } from '../follow-ups/schemas.js';
import { Interaction } from '../interactions/schemas.js';
import { JsonObject, MemberBrief, Time, Uuid } from '../schemas.js';
import { Contact, IdParam } from './schemas.js';

export const EraseQuery = z.strictObject({
  erase: z.enum(['true', 'false']).optional().describe('must be true: erasure cannot be undone'),
});

const AuditEntry = z
  .strictObject({
    at: Time,
    entityType: z.string(),
    entityId: Uuid,
    action: z.string(),
    source: z.string(),
    actor: MemberBrief.nullable(),
    before: JsonObject.nullable(),
    after: JsonObject.nullable(),
  })
  .meta({ id: 'AuditEntry' });

export const PersonExport = z
  .strictObject({
    contact: Contact,
    mergedContacts: z.array(Contact).describe('contacts merged into this one'),
    interactions: z
      .array(Interaction.extend({ deletedAt: Time.nullable() }).meta({ id: 'ExportedInteraction' }))
      .describe('every interaction the person took part in, private and deleted ones included'),
    followUps: z.array(FollowUp),
    audit: z.array(AuditEntry).describe('changes to the contact and its follow-ups'),
    captureRefusals: z
      .array(
        z
          .strictObject({
            at: Time,
            reason: z.string(),
            from: z.string().nullable(),
            subject: z.string().nullable(),
            member: MemberBrief.nullable().describe('whose capture address refused it'),
          })
          .meta({ id: 'ExportedCaptureRefusal' }),
      )
      .describe("mail they sent that a member's capture address refused"),
    exportedAt: Time,
  })
  .meta({ id: 'PersonExport' });

export const EraseResult = z
  .strictObject({
    erased: z.literal(true),
    id: Uuid,
    contacts: z.number().int().describe('the contact and the contacts merged into it'),
    interactionsDeleted: z.number().int().describe('interactions no other external person took part in'),
    interactionsRedacted: z.number().int().describe('interactions kept for their other participants, with the person removed'),
    followUps: z.number().int(),
    auditEntries: z.number().int().describe('audit entries anonymised'),
  })
  .meta({ id: 'EraseResult' });

export type PersonExport = z.infer<typeof PersonExport>;
export type EraseResult = z.infer<typeof EraseResult>;

const tags: ['people'] = ['people'];

export const personRoutes = router()
  .openapi(
    memberRoute({
      method: 'get',
      path: '/{id}/export',
      operationId: 'exportPerson',
      tags,
      summary: 'Everything Rapport holds about a person: contact, addresses, company, interactions, follow-ups, audit entries (admin only)',
      request: { params: IdParam },
      responses: { 200: ok(PersonExport, "The person's data"), ...errors(404) },
    }),
    async (c) => c.json(await call<PersonExport>(c, 'contact_export', c.req.valid('param')), 200),
  )
  .openapi(
    memberRoute({
      method: 'delete',
      path: '/{id}',
      operationId: 'erasePerson',
      tags,
      summary: 'Erase a person (admin only, ?erase=true)',
      description:
        'The contact, its addresses, follow-ups and participant rows are deleted; interactions only they took part in are deleted, ' +
        "others keep their other participants with the person's name, addresses and phone replaced by [erased]; audit entries " +
        'about them are anonymised and an erase entry records who erased them.',
      request: { params: IdParam, query: EraseQuery },
      responses: { 200: ok(EraseResult, 'Erased'), ...errors(404) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      if (c.req.valid('query').erase !== 'true') throw new ApiError(400, 'contact_erase_confirm', { id });
      return c.json(await call<EraseResult>(c, 'contact_erase', { id }), 200);
    },
  );
