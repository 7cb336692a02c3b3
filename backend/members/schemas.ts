import * as z from 'zod';
import { Id, LocaleCode, MemberBrief, Role, Uuid } from '../schemas.js';

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
    timezone: z.string(),
    locale: LocaleCode.describe('the language Rapport speaks to them in'),
    slackUserId: z.string().nullable(),
    active: z.boolean(),
  })
  .meta({ id: 'Member' });

export type Member = z.infer<typeof Member>;
