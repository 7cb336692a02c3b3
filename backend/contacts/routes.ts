import { Hono } from 'hono';
import { answerPage, call, decodeCursor, validate } from '../http.js';
import type { AppEnv } from '../types.js';
import {
  ContactCreate,
  ContactGetQuery,
  ContactListQuery,
  ContactPatch,
  IdParam,
  LookupQuery,
  TimelineQuery,
  isNameCursor,
  isTimeCursor,
} from './schemas.js';

export const contactRoutes = new Hono<AppEnv>()
  .get('/', validate('query', ContactListQuery), async (c) => {
    const { cursor, ...query } = c.req.valid('query');
    return answerPage(c, 'contacts_list', { ...query, cursor: decodeCursor(cursor, isNameCursor) });
  })
  .post('/', validate('json', ContactCreate), async (c) => {
    return c.json(await call<Record<string, unknown>>(c, 'contact_create', c.req.valid('json')), 201);
  })
  .get('/lookup', validate('query', LookupQuery), async (c) => {
    return c.json(await call<Record<string, unknown>>(c, 'contact_lookup', c.req.valid('query')));
  })
  .get('/:id', validate('param', IdParam), validate('query', ContactGetQuery), async (c) => {
    const shared = c.req.valid('query').shared === 'true';
    return c.json(await call<Record<string, unknown>>(c, 'contact_get', { ...c.req.valid('param'), shared }));
  })
  .patch('/:id', validate('param', IdParam), validate('json', ContactPatch), async (c) => {
    const { id } = c.req.valid('param');
    return c.json(await call<Record<string, unknown>>(c, 'contact_update', { id, patch: c.req.valid('json') }));
  })
  .get('/:id/timeline', validate('param', IdParam), validate('query', TimelineQuery), async (c) => {
    const { id } = c.req.valid('param');
    const { cursor, limit } = c.req.valid('query');
    return answerPage(c, 'contact_timeline', { id, limit, cursor: decodeCursor(cursor, isTimeCursor) });
  });
