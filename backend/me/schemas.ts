import * as z from 'zod';
import { Interaction } from '../interactions/schemas.js';
import { Member } from '../members/schemas.js';
import { Limit, LocaleCode, Time, Uuid } from '../schemas.js';

export const MePatch = z.strictObject({ locale: LocaleCode });
export const ActivityQuery = z.strictObject({ limit: Limit(50).optional() });

export const Workspace = z
  .strictObject({
    id: Uuid,
    name: z.string(),
    internalDomains: z.array(z.string()).describe('addresses at these domains are colleagues, never contacts'),
    autoCreateContacts: z.enum(['all', 'senders', 'off']).describe('which unknown external participants of a captured interaction become contacts'),
    freeMailDomains: z.array(z.string()).describe('these domains never make a company'),
    defaultTimezone: z.string(),
    defaultLocale: LocaleCode,
    digest: z.strictObject({ time: z.string(), weekends: z.boolean(), replyWindowHours: z.number(), coldAfterDays: z.number() }),
  })
  .meta({ id: 'Workspace' });

export const Me = z
  .strictObject({
    member: Member.nullable().describe('null only for a scheduler, which acts for no member'),
    workspace: Workspace,
  })
  .meta({ id: 'Me' });

export const ActivityItem = z
  .strictObject({
    interaction: Interaction.describe('without its body (snippet only)'),
    contact: z.strictObject({ id: Uuid, name: z.string(), company: z.strictObject({ id: Uuid, name: z.string() }).nullable() }),
  })
  .meta({ id: 'ActivityItem' });
export const Activity = z.strictObject({ items: z.array(ActivityItem) }).meta({ id: 'Activity' });

export const CaptureRefusal = z
  .strictObject({
    at: Time,
    reason: z
      .enum(['sender_not_member', 'authentication_failed', 'address_retired'])
      .describe('sent by someone else than the member; DKIM and SPF both failed; sent to an address the member has since rotated'),
    from: z.string().nullable().describe('the sending address'),
    subject: z.string().nullable(),
  })
  .meta({ id: 'CaptureRefusal' });

export const MeCapture = z
  .strictObject({
    address: z.string().nullable().describe("the caller's capture address (BCC it, or forward to it); null when the server has no RAPPORT_INBOUND_ADDRESS"),
    secret: z.string().describe('the part after + that names the caller; rotate it if the address leaks'),
    rotatedAt: Time.nullable().describe('when the present address replaced an earlier one; null if it never has'),
    recentRefusals: z.array(CaptureRefusal).describe('the latest 20 messages refused at the address, newest first'),
  })
  .meta({ id: 'MeCapture' });

export type MeCapture = z.infer<typeof MeCapture>;
export type Me = z.infer<typeof Me>;
export type ActivityItem = z.infer<typeof ActivityItem>;
export type Activity = z.infer<typeof Activity>;

export const Welcomed = z.strictObject({ welcomed: z.boolean().describe('false: there was no welcome to show') }).meta({ id: 'Welcomed' });
export type Welcomed = z.infer<typeof Welcomed>;
