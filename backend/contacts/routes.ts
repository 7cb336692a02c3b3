import { answerPage, call, decodeCursor } from '../http.js';
import { readingArgs } from './reading.js';
import { errors, jsonBody, memberRoute, ok, router } from '../openapi/route.js';
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
  isNameCursor,
  isTimeCursor,
} from './schemas.js';

const tags: ['contacts'] = ['contacts'];

export const contactRoutes = router()
  .openapi(
    memberRoute({
      method: 'get',
      path: '/',
      operationId: 'listContacts',
      tags,
      summary: 'List and search contacts (name, any email, company, domain, phone; 1-2 CJK characters work), or a saved segment',
      request: { query: ContactListQuery },
      responses: { 200: ok(ContactPage, 'A page of contacts'), ...errors(404) },
    }),
    async (c) => {
      const { cursor, ...query } = c.req.valid('query');
      return answerPage<ContactPage>(c, 'contacts_list', { ...query, cursor: decodeCursor(cursor, isNameCursor) });
    },
  )
  .openapi(
    memberRoute({
      method: 'post',
      path: '/',
      operationId: 'createContact',
      tags,
      summary: 'Create a contact',
      request: { body: jsonBody(ContactCreate) },
      responses: { 201: ok(Contact, 'Created'), ...errors(409) },
    }),
    async (c) => {
      const body = c.req.valid('json');
      return c.json(await call<Contact>(c, 'contact_create', { ...body, ...readingArgs(body) }), 201);
    },
  )
  .openapi(
    memberRoute({
      method: 'get',
      path: '/lookup',
      operationId: 'lookupContact',
      tags,
      summary: 'The contact owning an email address (any of its addresses, any case)',
      request: { query: LookupQuery },
      responses: { 200: ok(Contact, 'The contact'), ...errors(404) },
    }),
    async (c) => c.json(await call<Contact>(c, 'contact_lookup', c.req.valid('query')), 200),
  )
  .openapi(
    memberRoute({
      method: 'get',
      path: '/{id}',
      operationId: 'getContact',
      tags,
      summary: 'A contact with company, open follow-ups and its latest 10 timeline entries (shared=true: none of them private, for a place others read)',
      request: { params: IdParam, query: ContactGetQuery },
      responses: { 200: ok(ContactDetail, 'The contact'), ...errors(404) },
    }),
    async (c) => {
      const shared = c.req.valid('query').shared === 'true';
      return c.json(await call<ContactDetail>(c, 'contact_get', { ...c.req.valid('param'), shared }), 200);
    },
  )
  .openapi(
    memberRoute({
      method: 'patch',
      path: '/{id}',
      operationId: 'updateContact',
      tags,
      summary: 'Change some fields of a contact (audited)',
      request: { params: IdParam, body: jsonBody(ContactPatch) },
      responses: { 200: ok(Contact, 'The contact after the change'), ...errors(404, 409) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const patch = c.req.valid('json');
      const { pinyin, ...reading } = readingArgs(patch);
      return c.json(await call<Contact>(c, 'contact_update', { id, patch: { ...patch, ...reading }, pinyin }), 200);
    },
  )
  .openapi(
    memberRoute({
      method: 'get',
      path: '/{id}/timeline',
      operationId: 'getContactTimeline',
      tags,
      summary: 'Interactions, follow-ups and changes, newest first',
      request: { params: IdParam, query: TimelineQuery },
      responses: { 200: ok(TimelinePage, 'A page of the timeline'), ...errors(404) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { cursor, limit } = c.req.valid('query');
      return answerPage<TimelinePage>(c, 'contact_timeline', { id, limit, cursor: decodeCursor(cursor, isTimeCursor) });
    },
  );
