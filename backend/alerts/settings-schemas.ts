import * as z from 'zod';
import { WorkingHours, WorkingHoursSet } from '../meetings/brief-schemas.js';
import { Id, MemberBrief, Time, Uuid } from '../schemas.js';
import { ChannelId, TeamId } from '../slack/ids.js';
import { ALERT_DELIVERY, MESSAGE_ALERT_KINDS, type MessageAlertKind } from './kinds.js';

export const AlertKind = z.enum(MESSAGE_ALERT_KINDS).describe('a kind of alert that is a message (already_answered is a line on the add-on card)');
export const AlertDelivery = z.enum(ALERT_DELIVERY);

const kindsShape = <T extends z.ZodType>(value: T) => Object.fromEntries(MESSAGE_ALERT_KINDS.map((k) => [k, value])) as Record<MessageAlertKind, T>;

const Tag = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(100)
  .refine((s) => !s.includes('\u0000'), { message: 'must not contain NUL characters' });
const Day = z.number().int().min(1, 'ISO day 1 (Monday) to 7 (Sunday)').max(7, 'ISO day 1 (Monday) to 7 (Sunday)');

/** A member's alert settings: GET /api/me/alerts. */
export const AlertSettings = z
  .strictObject({
    kinds: z.strictObject(kindsShape(AlertDelivery)).describe("every message kind with the caller's choice, defaults applied ('dm' unless turned off)"),
    tags: z.array(z.string()).describe('inbound mail from a contact or company with one of these tags alerts (tagged_inbound); vip unless chosen'),
    hours: WorkingHours.describe('working hours (the same as GET /api/me/working-hours): DMs falling outside them wait for the next start'),
    days: z.array(z.number().int()).describe('working days, ISO 1 = Monday .. 7 = Sunday; Monday to Friday unless chosen'),
    timezone: z.string().describe("the caller's time zone the hours and days are in (change it with /crm tz); read-only here"),
  })
  .meta({ id: 'AlertSettings' });
export type AlertSettings = z.infer<typeof AlertSettings>;

export const AlertSettingsSet = z
  .strictObject({
    kinds: z.strictObject(kindsShape(AlertDelivery.optional())).optional().describe("'dm' or 'off' per kind; kinds left out keep their choice"),
    tags: z.array(Tag).max(20).nullable().optional().describe('null: back to vip'),
    hours: WorkingHoursSet.optional().describe('as PUT /api/me/working-hours; {start: null, end: null}: back to 08:00 to 20:00'),
    days: z.array(Day).min(1, 'name at least one working day').max(7).nullable().optional().describe('null: back to Monday to Friday'),
  })
  .refine((p) => Object.keys(p).length > 0, { message: 'name at least one of kinds, tags, hours, days' })
  .meta({ id: 'AlertSettingsSet' });

/** The workspace's reply window for alerts. */
export const WorkspaceAlerts = z
  .strictObject({
    replyMinutes: z
      .number()
      .int()
      .describe("how long an inbound email or message may wait for an answer, in the owner's working minutes, before the owner is alerted (240 unless set)"),
  })
  .meta({ id: 'WorkspaceAlerts' });
export const WorkspaceAlertsPatch = z
  .strictObject({ replyMinutes: z.number().int().min(0).max(10080, 'at most 10080 (a week of minutes)') })
  .meta({ id: 'WorkspaceAlertsPatch' });

export const AlertRuleFilter = z
  .strictObject({
    ownerId: Id.optional().describe('only what this member owns'),
    teamOf: Id.optional().describe("only what a member of this manager's team (or the manager) owns"),
    tag: Tag.optional().describe('only contacts or companies with this tag'),
    segmentId: Id.optional().describe('only contacts in this saved segment'),
    stage: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .optional()
      .describe('a contact lifecycle stage (lead, prospect, customer, churned) or a pipeline stage key of the workspace'),
  })
  .meta({ id: 'AlertRuleFilter' });

export const AlertRuleCreate = z
  .strictObject({
    channelId: ChannelId.refine((c) => !c.startsWith('D'), { message: 'must be a channel, not a direct message' }),
    teamId: TeamId.optional().describe("the Slack team of the channel; the workspace's own when left out"),
    channelName: z.string().trim().min(1).max(200).optional(),
    kinds: z.array(AlertKind).min(1, 'name at least one kind').max(20),
    filter: AlertRuleFilter.optional(),
  })
  .meta({ id: 'AlertRuleCreate' });

export const AlertRule = z
  .strictObject({
    id: Uuid,
    teamId: z.string().nullable(),
    channelId: z.string(),
    channelName: z.string().nullable(),
    kinds: z.array(z.string()),
    filter: z.strictObject({
      owner: MemberBrief.nullable(),
      teamOf: MemberBrief.nullable(),
      tag: z.string().nullable(),
      segment: z.strictObject({ id: Uuid, name: z.string() }).nullable(),
      stage: z.string().nullable(),
    }),
    createdBy: MemberBrief.nullable(),
    createdAt: Time,
    active: z.boolean(),
    disabledReason: z
      .enum(['shared', 'channel_gone', 'not_in_channel'])
      .nullable()
      .describe('why it stopped: the channel became shared with another organisation, was archived or deleted, or Rapport left it'),
    disabledAt: Time.nullable(),
    canDelete: z.boolean().describe('the caller made it, or is an admin'),
  })
  .meta({ id: 'AlertRule' });
export type AlertRule = z.infer<typeof AlertRule>;
export const AlertRuleList = z.strictObject({ items: z.array(AlertRule) }).meta({ id: 'AlertRuleList' });
export const AlertRuleDeleted = z.strictObject({ deleted: z.literal(true), id: Uuid }).meta({ id: 'AlertRuleDeleted' });

export const AlertRulesStop = z
  .strictObject({
    teamId: TeamId,
    channelId: ChannelId,
    reason: z.enum(['shared', 'channel_gone', 'not_in_channel']),
  })
  .meta({ id: 'AlertRulesStop' });
export const AlertRuleStopped = z
  .strictObject({
    ruleId: Uuid,
    channelId: z.string(),
    channelName: z.string().nullable(),
    reason: z.enum(['shared', 'channel_gone', 'not_in_channel']),
    creator: z.strictObject({
      id: Uuid,
      slackUserId: z.string().nullable(),
      teamId: z.string().nullable(),
      locale: z.string(),
      active: z.boolean(),
    }),
  })
  .meta({ id: 'AlertRuleStopped' });
export const AlertRulesStopped = z
  .strictObject({ stopped: z.array(AlertRuleStopped).describe('the rules that stopped, each with its creator to tell') })
  .meta({ id: 'AlertRulesStopped' });
export type AlertRulesStopped = z.infer<typeof AlertRulesStopped>;
