import * as z from 'zod';
import { READING_MAX } from './reading.js';
import { UpcomingMeeting } from '../meetings/schemas.js';
import { FollowUp } from '../follow-ups/schemas.js';
import { Interaction } from '../interactions/schemas.js';
import { Custom, CustomValues, Domain, Email, Id, JsonObject, Limit, MemberBrief, Stage, Tags, Time, TimeZone, Uuid, requiredText, text } from '../schemas.js';

/** a name's reading as written (issue 21): kana or pinyin, at most 200 characters; null clears it */
export const ReadingInput = text(READING_MAX)
  .nullable()
  .describe(
    'how the name is said: kana (たなか たろう) or pinyin (wang wei); null clears it; left out: pinyin of a Chinese name for a writer who reads Chinese',
  );
/** a name's reading as stored: NFKC-folded (half-width ﾀﾅｶ is タナカ) */
export const Reading = z.string().nullable().describe('how the name is said (kana, pinyin), for sorting and search; null when unknown');

const CompanyInput = z.strictObject({ name: requiredText(300).optional(), domain: Domain.optional() });

export const ContactCreate = z.strictObject({
  name: requiredText(300),
  reading: ReadingInput.optional(),
  emails: z.array(Email).max(50).default([]),
  phone: text(50).optional(),
  title: text(300).optional(),
  company: CompanyInput.optional(),
  stage: Stage.optional(),
  ownerEmail: Email.optional(),
  tags: Tags.optional(),
  custom: Custom.optional(),
  timezone: TimeZone.optional(),
});

export const ContactPatch = z.strictObject({
  name: requiredText(300).optional(),
  reading: ReadingInput.optional(),
  emails: z.array(Email).min(1).max(50).optional(),
  phone: text(50).nullable().optional(),
  title: text(300).nullable().optional(),
  company: CompanyInput.nullable().optional(),
  stage: Stage.optional(),
  ownerEmail: Email.nullable().optional(),
  tags: Tags.optional(),
  custom: Custom.optional(),
  timezone: TimeZone.nullable().optional(),
});

export const ContactListQuery = z.strictObject({
  q: text(200).optional(),
  stage: Stage.optional(),
  owner: z.union([z.literal('me'), Email]).optional(),
  tag: requiredText(64).optional(),
  limit: Limit(100).optional(),
  cursor: text(1000).optional(),
  /** a saved segment's name or id: its filter applies too (404 when there is none) */
  segment: requiredText(100).optional(),
});

export const LookupQuery = z.strictObject({ email: Email });
export const IdParam = z.strictObject({ id: Id });
/** shared=true: the card is for a place other people read (a channel, Share): no private entry, whoever asks */
export const ContactGetQuery = z.strictObject({
  shared: z.enum(['true', 'false']).optional().describe('true: leave out every private entry, for a card posted where others read it'),
});
export const TimelineQuery = z.strictObject({ limit: Limit(200).optional(), cursor: text(1000).optional() });

// --- answers ---

export const Company = z.strictObject({ id: Uuid, name: z.string(), domain: z.string().nullable() }).meta({ id: 'Company' });

export const Contact = z
  .strictObject({
    id: Uuid,
    name: z.string(),
    reading: Reading,
    title: z.string().nullable(),
    phone: z.string().nullable(),
    emails: z.array(z.string()).describe('the primary address first'),
    company: Company.nullable(),
    stage: Stage,
    owner: MemberBrief.nullable(),
    tags: z.array(z.string()),
    custom: CustomValues,
    timezone: z.string().nullable(),
    lastInteractionAt: Time.nullable(),
    mergedIntoId: Uuid.nullable().describe('the contact this one was merged into'),
    source: z.string().describe('where it was made: api, gmail, slack, import, cli'),
    createdAt: Time,
    updatedAt: Time,
  })
  .meta({ id: 'Contact' });

/** An audit entry on the timeline: who changed what, the fields before and after. */
export const Change = z
  .strictObject({
    action: z.string().describe('create, update, merge, ...'),
    source: z.string(),
    actor: MemberBrief.nullable(),
    before: JsonObject.nullable(),
    after: JsonObject.nullable(),
  })
  .meta({ id: 'Change' });

export const TimelineEntry = z
  .discriminatedUnion('type', [
    z.strictObject({ type: z.literal('interaction'), at: Time, interaction: Interaction.describe('without its body (snippet only)') }),
    z.strictObject({ type: z.literal('follow_up'), at: Time, followUp: FollowUp }),
    z.strictObject({ type: z.literal('change'), at: Time, change: Change }),
  ])
  .meta({ id: 'TimelineEntry' });

export const ContactPage = z.strictObject({ items: z.array(Contact), nextCursor: z.string().nullable() }).meta({ id: 'ContactPage' });
export const ContactDetail = Contact.extend({
  openFollowUps: z.array(FollowUp).describe('by due time'),
  timeline: z.array(TimelineEntry).describe('the latest entries, newest first'),
  upcomingMeetings: z.array(UpcomingMeeting).describe('the next five meetings with them in synced Google Calendars, soonest first'),
}).meta({ id: 'ContactDetail' });
export const TimelinePage = z.strictObject({ items: z.array(TimelineEntry), nextCursor: z.string().nullable() }).meta({ id: 'TimelinePage' });

export type Contact = z.infer<typeof Contact>;
export type ContactPage = z.infer<typeof ContactPage>;
export type ContactDetail = z.infer<typeof ContactDetail>;
export type TimelineEntry = z.infer<typeof TimelineEntry>;
export type TimelinePage = z.infer<typeof TimelinePage>;

export const isNameCursor = (v: unknown): v is { k: string; id: string } =>
  typeof v === 'object' && v !== null && typeof (v as { k?: unknown }).k === 'string' && Id.safeParse((v as { id?: unknown }).id).success;

/**
 * A timestamp as PostgreSQL's JSON writes one (what a timeline cursor carries),
 * with an offset a time zone can have: '2026-11-20T09:30:00.123456+09:00'.
 * Anything else (an offset of +99:99, a year 0, free text) is no cursor of ours.
 */
const PG_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?(?:Z|([+-])(\d{2}):(\d{2}))$/;

export function isPgTimestamp(s: string): boolean {
  const m = PG_TIMESTAMP.exec(s);
  if (!m) return false;
  const [, y, mo, d, h, mi, sec, , , oh, om] = m;
  if (Number(y) < 1 || Number(mo) < 1 || Number(mo) > 12 || Number(d) < 1 || Number(d) > 31) return false;
  if (Number(h) > 23 || Number(mi) > 59 || Number(sec) > 59) return false;
  if (oh !== undefined && (Number(oh) > 14 || Number(om) > 59)) return false;
  return !Number.isNaN(Date.parse(s));
}

export const isTimeCursor = (v: unknown): v is { at: string; key: string } =>
  typeof v === 'object' &&
  v !== null &&
  Object.keys(v).length === 2 &&
  typeof (v as { at?: unknown }).at === 'string' &&
  isPgTimestamp((v as { at: string }).at) &&
  typeof (v as { key?: unknown }).key === 'string' &&
  /^(?:[if]:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|a:\d{20})$/.test((v as { key: string }).key);
