import { IdParam } from '../contacts/schemas.js';
import { errors, type RouteDoc } from '../openapi-kit.js';
import { DismissBody, DismissResult, DuplicateList, DuplicatesQuery, MergeBody, MergeIdParam, MergeResult, UndoResult } from './schemas.js';

/** The OpenAPI entries of duplicates, merge and undo. */
export const duplicateDocs: RouteDoc[] = [
  {
    method: 'get', path: '/api/duplicates',
    summary: 'Contacts that look like the same person, likeliest first: the same email once case and +tags are ignored, the same phone in E.164 (national numbers take the workspace\'s country), or a similar name at the same company (Japanese and Chinese names: the same characters, spaces and full/half width ignored). Pairs marked "not a duplicate" and merged contacts never appear; a is the older contact',
    query: DuplicatesQuery,
    responses: { 200: { description: 'Pairs with their reason and score', schema: DuplicateList }, ...errors(400, 401, 403) },
  },
  {
    method: 'post', path: '/api/duplicates/dismiss', summary: 'Mark a pair as different people: it is never offered again',
    body: DismissBody,
    responses: { 200: { description: 'Dismissed (also when it already was)', schema: DismissResult }, ...errors(400, 401, 403, 404) },
  },
  {
    method: 'post', path: '/api/contacts/{id}/merge',
    summary: "Merge up to 20 contacts into this one, atomically: their addresses, interactions, follow-ups, channel links and tags move to it; its empty fields (title, phone, company, owner, timezone, custom keys) are filled from them in the order given; its stage is kept unless it is lead, when it takes the furthest of theirs. The merged ids keep resolving to it. Undoable for 30 days",
    params: IdParam, body: MergeBody,
    responses: { 200: { description: 'The merge and the contact after it', schema: MergeResult }, ...errors(400, 401, 403, 404) },
  },
  {
    method: 'post', path: '/api/merges/{id}/undo',
    summary: 'Undo a merge within 30 days: addresses, interactions, follow-ups, channel links, fields and tags go back (a field changed since keeps its newer value)',
    params: MergeIdParam,
    responses: { 200: { description: 'The survivor and the restored contacts', schema: UndoResult }, ...errors(400, 401, 403, 404, 409) },
  },
];
