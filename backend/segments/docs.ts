import { errors, type RouteDoc } from '../openapi-kit.js';
import {
  Segment,
  SegmentCreate,
  SegmentDeleted,
  SegmentIdParam,
  SegmentList,
  Stats,
  StatsQuery,
  Tidy,
  TidyFixBody,
  TidyFixResult,
  TidyQuery,
} from './schemas.js';

/** The OpenAPI entries of segments, stats and tidy. */
export const segmentDocs: RouteDoc[] = [
  {
    method: 'get', path: '/api/segments', summary: "The workspace's saved segments, by name (GET /api/contacts?segment=<name or id> lists one's contacts)",
    responses: { 200: { description: 'Every segment, with whether the caller may delete it', schema: SegmentList }, ...errors(401, 403) },
  },
  {
    method: 'post', path: '/api/segments', summary: 'Save a segment: a name (unique in the workspace, ignoring case) and a filter (stage, owner, tag, company, last interaction before/after, open follow-up, custom fields; all must hold)',
    body: SegmentCreate,
    responses: { 201: { description: 'The segment', schema: Segment }, ...errors(400, 401, 403, 409) },
  },
  {
    method: 'delete', path: '/api/segments/{id}', summary: 'Delete a segment (its creator or an admin)',
    params: SegmentIdParam,
    responses: { 200: { description: 'Deleted', schema: SegmentDeleted }, ...errors(400, 401, 403, 404) },
  },
  {
    method: 'get', path: '/api/stats', summary: "The caller's numbers for the last 7 days or month (a rep's own, a manager's team, an admin's workspace): contacts by stage and time zone, stage changes, interactions by rep and kind, follow-ups created/done/overdue, median minutes to reply to an inbound email",
    query: StatsQuery,
    responses: { 200: { description: "The numbers, with labels in the caller's language", schema: Stats }, ...errors(400, 401, 403) },
  },
  {
    method: 'get', path: '/api/tidy', summary: "Incomplete records of the caller's scope: contacts without a company, an owner, or any interaction in 90 days, worst first, each with the fixes Rapport knows",
    query: TidyQuery,
    responses: { 200: { description: 'Totals and the first `limit` contacts (default 20)', schema: Tidy }, ...errors(400, 401, 403) },
  },
  {
    method: 'post', path: '/api/tidy/fix', summary: "Apply one fix (audited): the company from the contact's email domain (never free mail), or make the caller the owner",
    body: TidyFixBody,
    responses: { 200: { description: 'The contact after the fix', schema: TidyFixResult }, ...errors(400, 401, 403, 404, 409) },
  },
];
