import { answerJson, call } from '../http.js';
import { jsonBody, memberRoute, ok, router } from '../openapi/route.js';
import { GmailContext, GmailContextBody, GmailLogBody, GmailLogResult } from './schemas.js';

const tags: ['gmail'] = ['gmail'];

export const gmailRoutes = router()
  // the sidebar of an open message: who I am, whether it is logged, its external people
  .openapi(
    memberRoute({
      method: 'post',
      path: '/context',
      operationId: 'gmailContext',
      tags,
      summary:
        'For an open message: the caller, whether it is logged (and by whom), and up to 10 external people with their contact card or a suggestion to create one',
      request: { body: jsonBody(GmailContextBody) },
      responses: { 200: ok(GmailContext, 'The sidebar') },
    }),
    async (c) => answerJson<GmailContext>(c, 'gmail_context', c.req.valid('json')),
  )
  // log one message or a whole thread in one transaction; logging again is harmless
  .openapi(
    memberRoute({
      method: 'post',
      path: '/log',
      operationId: 'gmailLog',
      tags,
      summary: 'Log 1-100 messages (an email or a whole thread) in one transaction; a Message-ID already logged is not logged again',
      request: { body: jsonBody(GmailLogBody) },
      responses: {
        201: ok(GmailLogResult, 'At least one message logged now; one item per message, in order'),
        200: ok(GmailLogResult, 'Every message was logged before'),
      },
    }),
    async (c) => {
      const res = await call<GmailLogResult>(c, 'gmail_log', c.req.valid('json'));
      return res.items.some((i) => i.created) ? c.json(res, 201) : c.json(res, 200);
    },
  );
