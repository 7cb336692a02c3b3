import type * as z from 'zod';
import { call } from '../http.js';
import { errors, jsonBody, memberRoute, ok, router } from '../openapi/route.js';
import { Brief, BriefSetting, WorkingHours, WorkingHoursSet } from './brief-schemas.js';
import { IdParam } from '../contacts/schemas.js';
import { MeetingList, MeetingsQuery } from './schemas.js';

const tags: ['mailbox'] = ['mailbox'];

/** /api/me/meetings: the caller's meetings with people outside the team, from their Google Calendar; /api/me/brief: when their briefs come. */
export const meetingRoutes = router()
  .openapi(
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
  )
  .openapi(
    memberRoute({
      method: 'get',
      path: '/meetings/{id}/brief',
      operationId: 'getMyMeetingBrief',
      tags,
      summary:
        "The brief of one of the caller's meetings, as the Slack DM before it shows it: each outside attendee's card, last three interactions, open follow-ups and who last spoke to them",
      request: { params: IdParam },
      responses: { 200: ok(Brief, 'The brief'), ...errors(404) },
    }),
    async (c) => c.json(await call<z.infer<typeof Brief>>(c, 'me_meeting_brief', c.req.valid('param')), 200),
  )
  .openapi(
    memberRoute({
      method: 'get',
      path: '/working-hours',
      operationId: 'getMyWorkingHours',
      tags,
      summary: "The caller's working hours: nudges after meetings come within them (08:00 to 20:00 unless chosen)",
      responses: { 200: ok(WorkingHours, 'The hours, in the caller’s time zone') },
    }),
    async (c) => c.json(await call<z.infer<typeof WorkingHours>>(c, 'working_hours', {}), 200),
  )
  .openapi(
    memberRoute({
      method: 'put',
      path: '/working-hours',
      operationId: 'setMyWorkingHours',
      tags,
      summary: "Set the caller's working hours (/crm hours 09:00-18:00); a nudge due outside them waits for the next start",
      request: { body: jsonBody(WorkingHoursSet) },
      responses: { 200: ok(WorkingHours, 'The hours now'), ...errors(400) },
    }),
    async (c) => c.json(await call<z.infer<typeof WorkingHours>>(c, 'working_hours', c.req.valid('json')), 200),
  )
  .openapi(
    memberRoute({
      method: 'put',
      path: '/brief',
      operationId: 'setMyBrief',
      tags,
      summary: 'How many minutes before a meeting with a customer the caller gets a brief in Slack (0: none); /crm brief',
      request: { body: jsonBody(BriefSetting) },
      responses: { 200: ok(BriefSetting, 'The setting now'), ...errors(400) },
    }),
    async (c) => c.json(await call<z.infer<typeof BriefSetting>>(c, 'brief_set', c.req.valid('json')), 200),
  );
