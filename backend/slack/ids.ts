import * as z from 'zod';

/** Slack's ids, as its API spells them. */
export const TeamId = z.string().regex(/^[TE][A-Z0-9]{2,20}$/, { message: 'must be a Slack team id like T012AB3CD' });
export const UserId = z.string().regex(/^[UW][A-Z0-9]{2,20}$/, { message: 'must be a Slack user id like U012AB3CD' });
export const ChannelId = z.string().regex(/^[CGD][A-Z0-9]{2,20}$/, { message: 'must be a Slack channel id like C012AB3CD' });
/** team:channel:ts, the id of one Slack message (ts like 1700000000.000100) */
export const MessageKey = z
  .string()
  .regex(/^[TE][A-Z0-9]{2,20}:[CGD][A-Z0-9]{2,20}:\d{1,12}\.\d{1,8}$/, { message: 'must be team:channel:ts of a Slack message' });
