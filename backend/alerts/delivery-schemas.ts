import * as z from 'zod';
import { Deal } from '../deals/schemas.js';
import { Id, MemberBrief, Time, Uuid } from '../schemas.js';

const noNul = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((s) => !s.includes('\u0000'), { message: 'must not contain NUL characters' });

/** POST /api/slack/alerts/claim */
export const AlertClaimBody = z.strictObject({
  workerId: noNul(100),
  leaseSeconds: z.number().int().min(10).max(3600).default(60),
  limit: z.number().int().min(1).max(500).default(50),
});

const Named = z.strictObject({ id: Uuid, name: z.string() });

/** What a producer records about the cause, by kind (alerts-foundation: the detail keys). */
export const AlertDetail = z
  .strictObject({
    escalation: z.boolean().optional().describe("waiting_reply: to the owner's manager"),
    windowMinutes: z.number().optional().describe('waiting_reply: the reply window, in working minutes'),
    dueAt: z.string().optional().describe('follow_up_due / follow_up_overdue'),
    fromStage: z.string().optional().describe('deal_stage_changed'),
    toStage: z.string().optional().describe('deal_stage_changed'),
    stage: z.string().optional().describe('deal_won / deal_lost'),
    reason: z.string().optional().describe('deal_won / deal_lost'),
    closeDate: z.string().optional().describe('deal_close_passed'),
    tags: z.array(z.string()).optional().describe('tagged_inbound'),
    what: z.enum(['channel', 'mailbox']).optional().describe('capture_failed'),
    channelId: z.string().optional(),
    channelName: z.string().optional(),
    address: z.string().optional(),
    error: z.string().optional(),
  })
  .meta({ id: 'AlertDetail' });

/** One alert as its message shows it, read when it is sent. */
export const AlertItem = z
  .strictObject({
    id: Uuid,
    kind: z.string().describe('the alert kind (backend/alerts/kinds.ts)'),
    detail: AlertDetail,
    dueAt: Time,
    createdAt: Time,
    escalation: z.boolean().describe("a waiting-for-reply alert to the owner's manager"),
    contact: z
      .strictObject({
        id: Uuid,
        name: z.string(),
        title: z.string().nullable(),
        stage: z.string().nullable(),
        company: Named.nullable(),
        owner: MemberBrief.nullable(),
      })
      .nullable(),
    company: Named.nullable(),
    deal: Deal.nullable().describe('the deal, as GET /api/deals/{id} shows it'),
    followUp: z.strictObject({ id: Uuid, note: z.string().nullable(), dueAt: Time, status: z.string(), owner: MemberBrief.nullable() }).nullable(),
    interaction: z
      .strictObject({
        id: Uuid,
        kind: z.string(),
        direction: z.string(),
        occurredAt: Time,
        url: z.string().nullable(),
        private: z.boolean(),
        subject: z.string().nullable().describe('null when the recipient may not see it (a private email is only its author’s)'),
        snippet: z.string().nullable().describe('the first 200 characters of the text, null when the recipient may not read it'),
      })
      .nullable(),
    assignment: z.strictObject({ state: z.enum(['assigned', 'done']), member: MemberBrief.nullable(), at: Time }).nullable(),
    actor: MemberBrief.nullable(),
  })
  .meta({ id: 'AlertItem' });

export const AlertRecipient = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('member'),
    memberId: Uuid,
    slackUserId: z.string().nullable(),
    teamId: z.string().nullable(),
    locale: z.string(),
    timezone: z.string(),
  }),
  z.strictObject({
    type: z.literal('rule'),
    ruleId: Uuid,
    channelId: z.string(),
    channelName: z.string().nullable(),
    teamId: z.string().nullable(),
    locale: z.string().describe("the rule's creator's language"),
    timezone: z.string(),
  }),
]);

export const ClaimedAlertDelivery = z
  .strictObject({
    id: Uuid,
    workspaceId: Uuid,
    attempts: z.number().int().describe('this claim included; above 1, look for an earlier post before posting'),
    createdAt: Time,
    recipient: AlertRecipient,
    total: z.number().int().describe('how many alerts are folded into this message'),
    items: z.array(AlertItem).describe('the first 10 of them, oldest first'),
  })
  .meta({ id: 'ClaimedAlertDelivery' });
export type ClaimedAlertDelivery = z.infer<typeof ClaimedAlertDelivery>;
export type AlertItem = z.infer<typeof AlertItem>;

export const AlertClaimResult = z.strictObject({ claimed: z.array(ClaimedAlertDelivery) }).meta({ id: 'AlertClaimResult' });

export const AlertFinishBody = z.strictObject({
  id: Uuid,
  workerId: noNul(100),
  outcome: z.enum(['sent', 'retry', 'failed', 'shared', 'gone']),
  channel: noNul(50).optional(),
  ts: noNul(50).optional(),
  error: z
    .string()
    .max(500)
    .refine((s) => !s.includes('\u0000'), { message: 'must not contain NUL characters' })
    .optional(),
  retryAfterSeconds: z.number().int().min(1).max(3600).optional().describe("Slack's Retry-After: a rate limit, not counted as an attempt"),
});

export const AlertRuleStopped = z.strictObject({
  ruleId: Uuid,
  channelId: z.string(),
  channelName: z.string().nullable(),
  reason: z.string(),
  creator: z.strictObject({
    id: Uuid.nullable(),
    slackUserId: z.string().nullable(),
    teamId: z.string().nullable(),
    locale: z.string().nullable(),
    active: z.boolean().nullable(),
  }),
});
export const AlertFinishResult = z
  .strictObject({
    held: z.boolean().describe('false: the lease had run out (another worker holds it now)'),
    status: z.string().nullable(),
    tell: AlertRuleStopped.nullable().describe('a channel rule stopped: whom to tell'),
  })
  .meta({ id: 'AlertFinishResult' });
export type AlertFinishResult = z.infer<typeof AlertFinishResult>;

export const AlertParam = z.strictObject({ id: Id });
export const AlertSnoozeBody = z.strictObject({
  minutes: z.number().int().min(15).max(10080).describe('from now: 15 minutes to 7 days'),
});
export const AlertActed = z
  .strictObject({
    id: Uuid,
    kind: z.string(),
    action: z.enum(['done', 'snoozed', 'assigned']),
    by: MemberBrief,
    at: Time.optional(),
    until: Time.optional().describe('snoozed: when it comes back'),
  })
  .meta({ id: 'AlertActed' });
export type AlertActed = z.infer<typeof AlertActed>;
