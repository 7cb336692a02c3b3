import * as z from 'zod';
import { Email, Id, LocaleCode, MemberBrief, Role, Time, TimeZone, Uuid } from '../schemas.js';

export const MemberIdentityParam = z.strictObject({
  id: Id,
  identity: z.enum(['google', 'slack']).describe('google: the Google account the add-on signed in with; slack: the Slack user'),
});

/** A member of the workspace, as they see themselves and as an admin sees them. */
export const Member = z
  .strictObject({
    id: Uuid,
    email: z.string(),
    name: z.string(),
    role: Role,
    manager: MemberBrief.nullable(),
    managerId: Uuid.nullable(),
    timezone: z.string(),
    locale: LocaleCode.describe('the language Rapport speaks to them in'),
    slackUserId: z.string().nullable(),
    active: z.boolean(),
    joinedVia: z
      .enum(['setup', 'invite', 'slack', 'google'])
      .describe('setup: the first admin; invite: added by an admin; slack, google: joined by themselves'),
    lastSeenAt: Time.nullable().describe('the last request of theirs, to the minute'),
    addresses: z.array(z.string()).describe('their other sending addresses (aliases, other mailboxes): mail from these is theirs, as from their email'),
  })
  .meta({ id: 'Member' });

export type Member = z.infer<typeof Member>;

const Name = z.string().trim().min(1, 'must not be empty').max(200);

export const MemberList = z.strictObject({ items: z.array(Member) }).meta({ id: 'MemberList' });
export type MemberList = z.infer<typeof MemberList>;

export const MemberListQuery = z.strictObject({
  active: z.enum(['all']).optional().describe('all: deactivated members too (admins)'),
});

export const MemberIdParam = z.strictObject({ id: Id });

export const MemberCreate = z.strictObject({
  email: Email,
  name: Name,
  role: Role.default('rep'),
  managerId: Id.nullable().optional(),
  timezone: TimeZone.optional().describe("the workspace's default time zone when left out"),
  locale: LocaleCode.optional().describe("the workspace's default language when left out"),
});

export const MemberPatch = z
  .strictObject({
    role: Role.optional(),
    managerId: Id.nullable().optional().describe('null: no manager'),
    name: Name.optional(),
    timezone: TimeZone.optional(),
    locale: LocaleCode.optional(),
    addresses: z.array(Email).max(20).optional().describe("their other sending addresses, all of them (admins): each no other member's"),
  })
  .refine((p) => Object.keys(p).length > 0, { message: 'name at least one of role, managerId, name, timezone, locale, addresses' });

export const MemberDeactivate = z.strictObject({
  reassignTo: Id.describe('the active member who takes over their contacts and open follow-ups'),
});

export const MemberDeactivated = z
  .strictObject({
    member: Member,
    reassignedTo: MemberBrief,
    contacts: z.int().describe('contacts now owned by reassignTo'),
    followUps: z.int().describe('open follow-ups now owned by reassignTo'),
    reports: z.int().describe('members who reported to them, now reporting to their manager'),
    tokensRevoked: z.int(),
  })
  .meta({ id: 'MemberDeactivated' });
export type MemberDeactivated = z.infer<typeof MemberDeactivated>;
