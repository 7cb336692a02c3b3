import { answerPage, call, decodeCursor } from '../http.js';
import { errors, jsonBody, memberRoute, ok, router } from '../openapi/route.js';
import {
  DealCreate,
  DealDetail,
  DealIdParam,
  DealListQuery,
  DealPage,
  DealPatch,
  DealTimelinePage,
  DealTimelineQuery,
  Pipeline,
  PipelinePut,
  isDealCursor,
  isDealTimelineCursor,
} from './schemas.js';

const tags: ['deals'] = ['deals'];

/** /api/pipeline: the workspace's ordered stages; an admin changes them. */
export const pipelineRoutes = router()
  .openapi(
    memberRoute({
      method: 'get',
      path: '/',
      operationId: 'getPipeline',
      tags,
      summary: "The workspace's pipeline: its stages in order, each with its win probability",
      responses: { 200: ok(Pipeline, 'The pipeline') },
    }),
    async (c) => c.json(await call<Pipeline>(c, 'pipeline_get', {}), 200),
  )
  .openapi(
    memberRoute({
      method: 'put',
      path: '/',
      operationId: 'setPipeline',
      tags,
      summary:
        'Set the stages in order (admins; audited). A stage keeps its key when renamed; removing one that open deals are at needs moves to say where they go (409 otherwise)',
      request: { body: jsonBody(PipelinePut) },
      responses: { 200: ok(Pipeline, 'The pipeline after the change'), ...errors(409) },
    }),
    async (c) => c.json(await call<Pipeline>(c, 'pipeline_set', c.req.valid('json')), 200),
  );

/** /api/deals: a workspace's deals, any member's to create and change (audited). */
export const dealRoutes = router()
  .openapi(
    memberRoute({
      method: 'get',
      path: '/',
      operationId: 'listDeals',
      tags,
      summary: 'Deals, newest first: open ones unless status says otherwise; by owner, stage, company, contact, expected close',
      request: { query: DealListQuery },
      responses: { 200: ok(DealPage, 'A page of deals'), ...errors(404) },
    }),
    async (c) => {
      const { cursor, ...query } = c.req.valid('query');
      return answerPage<DealPage>(c, 'deals_list', { ...query, cursor: decodeCursor(cursor, isDealCursor) });
    },
  )
  .openapi(
    memberRoute({
      method: 'post',
      path: '/',
      operationId: 'createDeal',
      tags,
      summary: "Create a deal (owner: the caller, stage: the pipeline's first, unless given)",
      request: { body: jsonBody(DealCreate) },
      responses: { 201: ok(DealDetail, 'Created'), ...errors(404) },
    }),
    async (c) => c.json(await call<DealDetail>(c, 'deal_create', c.req.valid('json')), 201),
  )
  .openapi(
    memberRoute({
      method: 'get',
      path: '/{id}',
      operationId: 'getDeal',
      tags,
      summary: 'A deal with its contacts (and their roles), its company and every stage change',
      request: { params: DealIdParam },
      responses: { 200: ok(DealDetail, 'The deal'), ...errors(404) },
    }),
    async (c) => c.json(await call<DealDetail>(c, 'deal_get', c.req.valid('param')), 200),
  )
  .openapi(
    memberRoute({
      method: 'patch',
      path: '/{id}',
      operationId: 'updateDeal',
      tags,
      summary: 'Change a deal: fields, contacts, stage; won or lost with a reason, or reopen (audited; each stage change kept)',
      request: { params: DealIdParam, body: jsonBody(DealPatch) },
      responses: { 200: ok(DealDetail, 'The deal after the change'), ...errors(404, 409) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      return c.json(await call<DealDetail>(c, 'deal_update', { id, patch: c.req.valid('json') }), 200);
    },
  )
  .openapi(
    memberRoute({
      method: 'get',
      path: '/{id}/timeline',
      operationId: 'getDealTimeline',
      tags,
      summary: "The deal's stage changes and changes, and its contacts' interactions since it opened, newest first",
      request: { params: DealIdParam, query: DealTimelineQuery },
      responses: { 200: ok(DealTimelinePage, 'A page of the timeline'), ...errors(404) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { cursor, limit } = c.req.valid('query');
      return answerPage<DealTimelinePage>(c, 'deal_timeline', { id, limit, cursor: decodeCursor(cursor, isDealTimelineCursor) });
    },
  );
