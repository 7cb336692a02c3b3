import { Hono } from 'hono';
import { answerJson, call, validate } from '../http.js';
import type { AppEnv } from '../types.js';
import { type GmailContext, GmailContextBody, GmailLogBody, type GmailLogResult } from './schemas.js';

export const gmailRoutes = new Hono<AppEnv>()
  // the sidebar of an open message: who I am, whether it is logged, its external people
  .post('/context', validate('json', GmailContextBody), async (c) => {
    return answerJson<GmailContext>(c, 'gmail_context', c.req.valid('json'));
  })
  // log one message or a whole thread in one transaction; logging again is harmless
  .post('/log', validate('json', GmailLogBody), async (c) => {
    const res = await call<GmailLogResult>(c, 'gmail_log', c.req.valid('json'));
    return c.json(res, res.items.some((i) => i.created) ? 201 : 200);
  });
