import * as z from 'zod';
import { MemberBrief, Time, Timestamp, Uuid } from '../schemas.js';

/** How someone stands on a meeting's guest list: its organizer, or a guest by their answer (invited: not answered yet). */
export const MeetingRole = z.enum(['organizer', 'accepted', 'tentative', 'declined', 'invited']).meta({ id: 'MeetingRole' });

export const MeetingAttendee = z
  .strictObject({
    email: z.string(),
    name: z.string().nullable(),
    role: MeetingRole,
    contactId: Uuid.nullable().describe('the contact with this address, if any'),
  })
  .meta({ id: 'MeetingAttendee' });

const common = {
  id: Uuid.describe("the event in the member's calendar"),
  key: z.string().describe("the meeting's iCalUID, and its original start for an occurrence of a series: the interaction's externalId once it is captured"),
  start: Time,
  end: Time,
  durationMinutes: z.number().int(),
  title: z.string().nullable(),
  location: z.string().nullable(),
  conferenceUrl: z.string().nullable().describe('the video call link'),
  attendees: z.array(MeetingAttendee).describe('the organizer first'),
  interactionId: Uuid.nullable().describe('the meeting interaction, once it has started and was captured'),
};

/** One of the caller's meetings, from their Google Calendar. */
export const Meeting = z
  .strictObject({
    ...common,
    member: MemberBrief.describe('whose calendar it is in'),
    response: z.enum(['accepted', 'tentative', 'declined', 'needsAction']).nullable().describe("the member's own answer; null when they organise it unlisted"),
  })
  .meta({ id: 'Meeting' });
export const MeetingList = z.strictObject({ items: z.array(Meeting).describe('by start, at most 500') }).meta({ id: 'MeetingList' });

/** A contact's meeting to come, once however many colleagues have it in their calendar. */
export const UpcomingMeeting = z
  .strictObject({ ...common, members: z.array(MemberBrief).describe('the colleagues whose calendars have it') })
  .meta({ id: 'UpcomingMeeting' });

export const MeetingsQuery = z.strictObject({
  from: Timestamp.optional().describe('default: now'),
  to: Timestamp.optional().describe('default: 7 days after from; at most 92 days after it'),
});

export type MeetingList = z.infer<typeof MeetingList>;
