import { IdParam } from '../contacts/schemas.js';
import { call } from '../http.js';
import { errors, jsonBody, memberRoute, ok, router } from '../openapi/route.js';
import { DismissBody, DismissResult, DuplicateList, DuplicatesQuery, MergeBody, MergeIdParam, MergeResult, UndoResult } from './schemas.js';

const tags: ['duplicates'] = ['duplicates'];

/** GET /api/duplicates, POST /api/duplicates/dismiss */
export const duplicateRoutes = router()
  .openapi(
    memberRoute({
      method: 'get',
      path: '/',
      operationId: 'listDuplicates',
      tags,
      summary: 'Contacts that look like the same person, likeliest first',
      description:
        "The same email once case and +tags are ignored, the same phone in E.164 (national numbers take the workspace's country), " +
        'or a similar name at the same company (Japanese and Chinese names: the same characters, spaces and full/half width ignored). ' +
        'Pairs marked "not a duplicate" and merged contacts never appear; a is the older contact.',
      request: { query: DuplicatesQuery },
      responses: { 200: ok(DuplicateList, 'Pairs with their reason and score') },
    }),
    async (c) => c.json(await call<DuplicateList>(c, 'duplicates_list', c.req.valid('query')), 200),
  )
  .openapi(
    memberRoute({
      method: 'post',
      path: '/dismiss',
      operationId: 'dismissDuplicate',
      tags,
      summary: 'Mark a pair as different people: it is never offered again',
      request: { body: jsonBody(DismissBody) },
      responses: { 200: ok(DismissResult, 'Dismissed (also when it already was)'), ...errors(404) },
    }),
    async (c) => c.json(await call<DismissResult>(c, 'duplicate_dismiss', c.req.valid('json')), 200),
  );

/** POST /api/contacts/:id/merge (mounted at /api/contacts after the contact routes) */
export const mergeRoutes = router().openapi(
  memberRoute({
    method: 'post',
    path: '/{id}/merge',
    operationId: 'mergeContacts',
    tags,
    summary: 'Merge up to 20 contacts into this one, atomically; undoable for 30 days',
    description:
      'Their addresses, interactions, follow-ups, channel links and tags move to it; its empty fields (title, phone, company, owner, ' +
      'timezone, custom keys) are filled from them in the order given; its stage is kept unless it is lead, when it takes the ' +
      'furthest of theirs. The merged ids keep resolving to it.',
    request: { params: IdParam, body: jsonBody(MergeBody) },
    responses: { 200: ok(MergeResult, 'The merge and the contact after it'), ...errors(404) },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    return c.json(await call<MergeResult>(c, 'contact_merge', { id, from: c.req.valid('json').from }), 200);
  },
);

/** POST /api/merges/:id/undo */
export const mergeUndoRoutes = router().openapi(
  memberRoute({
    method: 'post',
    path: '/{id}/undo',
    operationId: 'undoMerge',
    tags,
    summary:
      'Undo a merge within 30 days: addresses, interactions, follow-ups, channel links, fields and tags go back (a field changed since keeps its newer value)',
    request: { params: MergeIdParam },
    responses: { 200: ok(UndoResult, 'The survivor and the restored contacts'), ...errors(404, 409) },
  }),
  async (c) => c.json(await call<UndoResult>(c, 'merge_undo', c.req.valid('param')), 200),
);
