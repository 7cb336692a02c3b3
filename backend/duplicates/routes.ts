import { Hono } from 'hono';
import type * as z from 'zod';
import { IdParam } from '../contacts/schemas.js';
import { call, validate } from '../http.js';
import type { AppEnv } from '../types.js';
import {
  DismissBody,
  DuplicatesQuery,
  MergeBody,
  MergeIdParam,
  type DismissResult,
  type DuplicateList,
  type MergeResult,
  type UndoResult,
} from './schemas.js';

/** GET /api/duplicates, POST /api/duplicates/dismiss */
export const duplicateRoutes = new Hono<AppEnv>()
  .get('/', validate('query', DuplicatesQuery), async (c) => {
    return c.json(await call<z.infer<typeof DuplicateList>>(c, 'duplicates_list', c.req.valid('query')));
  })
  .post('/dismiss', validate('json', DismissBody), async (c) => {
    return c.json(await call<z.infer<typeof DismissResult>>(c, 'duplicate_dismiss', c.req.valid('json')));
  });

/** POST /api/contacts/:id/merge (mounted at /api/contacts after the contact routes) */
export const mergeRoutes = new Hono<AppEnv>().post('/:id/merge', validate('param', IdParam), validate('json', MergeBody), async (c) => {
  const { id } = c.req.valid('param');
  return c.json(await call<z.infer<typeof MergeResult>>(c, 'contact_merge', { id, from: c.req.valid('json').from }));
});

/** POST /api/merges/:id/undo */
export const mergeUndoRoutes = new Hono<AppEnv>().post('/:id/undo', validate('param', MergeIdParam), async (c) => {
  return c.json(await call<z.infer<typeof UndoResult>>(c, 'merge_undo', c.req.valid('param')));
});
