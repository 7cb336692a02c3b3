import * as z from 'zod';
import { Domain, LocaleCode, MemberBrief, TimeZone, Uuid } from '../schemas.js';

export const JoinPolicy = z
  .enum(['invite', 'slack', 'domains'])
  .describe('invite: only people an admin adds; slack: any full member of the bound Slack team; domains: anyone with a verified email at joinDomains');

/** The workspace as its members see it. */
export const Workspace = z
  .strictObject({
    id: Uuid,
    name: z.string(),
    defaultTimezone: z.string(),
    defaultLocale: LocaleCode,
    internalDomains: z.array(z.string()).describe("the team's own email domains: mail between them is internal"),
    joinPolicy: JoinPolicy,
    joinDomains: z.array(z.string()),
    admins: z.array(MemberBrief).describe('who to ask for access'),
  })
  .meta({ id: 'WorkspaceSettings' });
export type Workspace = z.infer<typeof Workspace>;

export const WorkspacePatch = z
  .strictObject({
    name: z.string().trim().min(1, 'must not be empty').max(200).optional(),
    defaultTimezone: TimeZone.optional(),
    defaultLocale: LocaleCode.optional(),
    internalDomains: z.array(Domain).max(50).optional(),
    joinPolicy: JoinPolicy.optional(),
    joinDomains: z.array(Domain).max(50).optional(),
  })
  .refine((p) => Object.keys(p).length > 0, { message: 'name at least one field to change' });
