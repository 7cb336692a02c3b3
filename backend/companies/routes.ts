import { readingArgs } from '../contacts/reading.js';
import { isNameCursor, isTimeCursor } from '../contacts/schemas.js';
import { answerPage, call, decodeCursor } from '../http.js';
import { errors, jsonBody, memberRoute, ok, router } from '../openapi/route.js';
import {
  AccountCard,
  AccountPage,
  AccountTimelinePage,
  CompanyCreate,
  CompanyDuplicateList,
  CompanyDuplicatesQuery,
  CompanyIdParam,
  CompanyListQuery,
  CompanyMergeBody,
  CompanyMergeResult,
  CompanyPatch,
  CompanyTimelineQuery,
  CompanyUndoResult,
} from './schemas.js';

const tags: ['companies'] = ['companies'];

/** /api/companies: accounts, their card and timeline, duplicates and merges */
export const companyRoutes = router()
  .openapi(
    memberRoute({
      method: 'get',
      path: '/',
      operationId: 'listCompanies',
      tags,
      summary: 'List and search companies (name with or without its legal form, any domain; 1-2 CJK characters work)',
      request: { query: CompanyListQuery },
      responses: { 200: ok(AccountPage, 'A page of companies in name order') },
    }),
    async (c) => {
      const { cursor, ...query } = c.req.valid('query');
      return answerPage<AccountPage>(c, 'companies_list', { ...query, cursor: decodeCursor(cursor, isNameCursor) });
    },
  )
  .openapi(
    memberRoute({
      method: 'post',
      path: '/',
      operationId: 'createCompany',
      tags,
      summary: 'Create a company (audited)',
      request: { body: jsonBody(CompanyCreate) },
      responses: { 201: ok(AccountCard, 'Created'), ...errors(409) },
    }),
    async (c) => {
      const body = c.req.valid('json');
      return c.json(await call<AccountCard>(c, 'company_create', { ...body, ...readingArgs(body) }), 201);
    },
  )
  .openapi(
    memberRoute({
      method: 'get',
      path: '/duplicates',
      operationId: 'listCompanyDuplicates',
      tags,
      summary: 'Companies that look like the same one: equal names once legal forms (Inc., 株式会社, 有限公司...) and width are folded, or a subdomain',
      request: { query: CompanyDuplicatesQuery },
      responses: { 200: ok(CompanyDuplicateList, 'Pairs with their reason') },
    }),
    async (c) => c.json(await call<CompanyDuplicateList>(c, 'company_duplicates_list', c.req.valid('query')), 200),
  )
  .openapi(
    memberRoute({
      method: 'post',
      path: '/merges/{id}/undo',
      operationId: 'undoCompanyMerge',
      tags,
      summary: 'Undo a company merge within 30 days: contacts, deals, domains, channel links and filled fields go back',
      request: { params: CompanyIdParam },
      responses: { 200: ok(CompanyUndoResult, 'The kept company and the restored ones'), ...errors(404, 409) },
    }),
    async (c) => c.json(await call<CompanyUndoResult>(c, 'company_merge_undo', c.req.valid('param')), 200),
  )
  .openapi(
    memberRoute({
      method: 'get',
      path: '/{id}',
      operationId: 'getCompany',
      tags,
      summary: 'The account card: domains, fields, its people by recent contact, open deals, open follow-ups, last interaction',
      request: { params: CompanyIdParam },
      responses: { 200: ok(AccountCard, 'The account'), ...errors(404) },
    }),
    async (c) => c.json(await call<AccountCard>(c, 'company_get', c.req.valid('param')), 200),
  )
  .openapi(
    memberRoute({
      method: 'patch',
      path: '/{id}',
      operationId: 'updateCompany',
      tags,
      summary: 'Change some fields of a company (audited)',
      request: { params: CompanyIdParam, body: jsonBody(CompanyPatch) },
      responses: { 200: ok(AccountCard, 'The account after the change'), ...errors(404, 409) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const patch = c.req.valid('json');
      const { pinyin, ...reading } = readingArgs(patch);
      return c.json(await call<AccountCard>(c, 'company_update', { id, patch: { ...patch, ...reading }, pinyin }), 200);
    },
  )
  .openapi(
    memberRoute({
      method: 'get',
      path: '/{id}/timeline',
      operationId: 'getCompanyTimeline',
      tags,
      summary: 'One timeline across all its people: each interaction once, newest first, private ones only for their team',
      request: { params: CompanyIdParam, query: CompanyTimelineQuery },
      responses: { 200: ok(AccountTimelinePage, 'A page of the timeline'), ...errors(404) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { cursor, limit } = c.req.valid('query');
      return answerPage<AccountTimelinePage>(c, 'company_timeline', { id, limit, cursor: decodeCursor(cursor, isTimeCursor) });
    },
  )
  .openapi(
    memberRoute({
      method: 'post',
      path: '/{id}/merge',
      operationId: 'mergeCompanies',
      tags,
      summary: 'Merge up to 20 companies into this one, atomically; undoable for 30 days',
      description:
        'Their contacts, deals, domains and linked channels move to it; its empty fields (industry, size, owner, primary domain, ' +
        'custom keys) are filled from them in the order given, and their tags added.',
      request: { params: CompanyIdParam, body: jsonBody(CompanyMergeBody) },
      responses: { 200: ok(CompanyMergeResult, 'The merge and the company after it'), ...errors(404) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      return c.json(await call<CompanyMergeResult>(c, 'company_merge', { id, from: c.req.valid('json').from }), 200);
    },
  );
