import { call } from '../http.js';
import { errors, memberRoute, ok, router } from '../openapi/route.js';
import { MeetingList, MeetingsQuery } from './schemas.js';

const tags: ['mailbox'] = ['mailbox'];

/** /api/me/meetings: the caller's meetings with people outside the team, from their Google Calendar. */
export const meetingRoutes = router().openapi(
  memberRoute({
    method: 'get',
    path: '/meetings',
    operationId: 'listMyMeetings',
    tags,
    summary: "The caller's meetings with someone outside the team between from and to (Google Calendar sync)",
    request: { query: MeetingsQuery },
    responses: { 200: ok(MeetingList, 'By start; cancelled and private events left out'), ...errors(400) },
  }),
  async (c) => c.json(await call<MeetingList>(c, 'me_meetings', c.req.valid('query')), 200),
);
