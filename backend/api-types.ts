/**
 * The API's answers as types, for code that reads them without the typed
 * client (the Gmail add-on, which calls the backend through UrlFetchApp;
 * Block Kit builders). Each is z.infer of the schema its route declares, so
 * they cannot drift from GET /openapi.json. Types only: importing this file
 * adds nothing to a bundle.
 */
export type { ErrorBody, MemberBrief } from './schemas.js';
export type { Contact, ContactDetail, ContactPage, TimelineEntry, TimelinePage } from './contacts/schemas.js';
export type { EraseResult, PersonExport } from './contacts/person.js';
export type { FollowUp, FollowUpList } from './follow-ups/schemas.js';
export type { Interaction, InteractionHidden } from './interactions/schemas.js';
export type { GmailContext, GmailLogResult, GmailPerson } from './gmail/schemas.js';
export type { Activity, ActivityItem, Me } from './me/schemas.js';
export type { Member } from './members/schemas.js';
export type { Workspace } from './workspace/schemas.js';
export type { ChannelLink, ChannelLinkList, ChannelUnlinked } from './channel-links/schemas.js';
export type { Digest, DigestClaimResult, DigestScope, DigestSettings, DigestStatus, WorkspaceDigestDefaults } from './digests/schemas.js';
export type { DismissResult, DuplicateList, MergeResult, UndoResult } from './duplicates/schemas.js';
export type { Segment, SegmentList, Stats, Tidy, TidyFixResult } from './segments/schemas.js';
export type { ContactExport, ImportReport } from './imports/schemas.js';
export type { Deal, DealDetail, DealPage, DealTimelinePage, Pipeline } from './deals/schemas.js';
export type {
  Account,
  AccountCard,
  AccountDeal,
  AccountPage,
  AccountTimelinePage,
  CompanyDuplicateList,
  CompanyMergeResult,
  CompanyUndoResult,
} from './companies/schemas.js';
