import * as z from 'zod';
import { Interaction } from '../interactions/schemas.js';
import { Member } from '../members/schemas.js';
import { Limit, LocaleCode, Uuid } from '../schemas.js';

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

export type Me = z.infer<typeof Me>;
export type ActivityItem = z.infer<typeof ActivityItem>;
export type Activity = z.infer<typeof Activity>;

export const Welcomed = z.strictObject({ welcomed: z.boolean().describe('false: there was no welcome to show') }).meta({ id: 'Welcomed' });
export type Welcomed = z.infer<typeof Welcomed>;
