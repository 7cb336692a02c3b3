import * as z from 'zod';
import { Id, MemberBrief, Time, Uuid, text } from '../schemas.js';
import { ChannelId, TeamId } from '../slack/ids.js';

export const ChannelLinkParam = z.strictObject({ teamId: TeamId, channelId: ChannelId });
export const ChannelLinkPut = z
  .strictObject({
    channelName: text(200).optional(),
    isExtShared: z.boolean().default(false),
    companyId: Id.optional(),
    contactId: Id.optional(),
  })
  .refine((b) => (b.companyId === undefined) !== (b.contactId === undefined), {
    message: 'needs exactly one of companyId and contactId',
  });

/** A Slack channel captured into Rapport, and how its capture is going. */
export const ChannelLink = z
  .strictObject({
    teamId: z.string(),
    channelId: z.string(),
    channelName: z.string().nullable(),
    isExtShared: z.boolean().describe('shared with people outside the company (Slack Connect)'),
    target: z.strictObject({ type: z.enum(['company', 'contact']), id: Uuid, name: z.string() }).describe('where its messages are filed'),
    linkedBy: MemberBrief.nullable(),
    linkedAt: Time,
    lastCapturedAt: Time.nullable(),
    lastError: z.string().nullable(),
    lastErrorAt: Time.nullable(),
  })
  .meta({ id: 'ChannelLink' });
export const ChannelLinkList = z.strictObject({ items: z.array(ChannelLink) }).meta({ id: 'ChannelLinkList' });
export const ChannelUnlinked = z
  .strictObject({ unlinked: z.boolean(), link: ChannelLink.optional().describe('the link as it was, when there was one') })
  .meta({ id: 'ChannelUnlinked' });

export type ChannelLink = z.infer<typeof ChannelLink>;
export type ChannelLinkList = z.infer<typeof ChannelLinkList>;
export type ChannelUnlinked = z.infer<typeof ChannelUnlinked>;
