import type { Locale } from '../../backend/i18n/vocabulary.js';

/**
 * The shapes of the backend's digest routes (GET /api/me/digest, GET
 * /api/me/digest/status, POST /api/slack/digests/claim), as the Slack app reads them.
 */

export type ContactRef = { id: string; name: string; company: string | null };
export type MemberRef = { id: string; name: string };
export type FollowUpItem = { id: string; dueAt: string; note: string | null; contact: ContactRef; owner: MemberRef };

export type Digest = {
  reader: { memberId: string; name: string; locale: Locale; timezone: string; slackUserId: string | null };
  localDate: string;
  isManager: boolean;
  whenEmpty: 'line' | 'skip';
  overdue: { total: number; byRep: { rep: MemberRef; total: number; items: FollowUpItem[] }[] };
  dueToday: { total: number; items: FollowUpItem[] };
  waiting: {
    total: number;
    items: {
      contact: ContactRef;
      owner: MemberRef | null;
      interaction: { id: string; kind: string; occurredAt: string; subject: string | null; snippet: string | null };
    }[];
  };
  goingCold: { total: number; items: { contact: ContactRef; owner: MemberRef | null; stage: string; lastInteractionAt: string | null }[] };
  yesterday: { rep: MemberRef; emails: number; slack: number; notes: number; calls: number; followUpsDone: number; followUpsCreated: number }[];
  empty: boolean;
};

export type DigestSettings = {
  enabled: boolean;
  time: string;
  weekends: boolean;
  explicit: { enabled: boolean | null; time: string | null; weekends: boolean | null };
  isManager: boolean;
  timezone: string;
};

export type DigestDelivery = {
  localDate: string;
  status: 'pending' | 'sent' | 'failed' | 'skipped';
  attempts: number;
  lastError: string | null;
  sentAt: string | null;
  updatedAt: string | null;
};

export type DigestStatus = {
  settings: DigestSettings;
  deliveries: DigestDelivery[];
  teamFailures: { member: MemberRef; localDate: string; lastError: string | null; attempts: number }[];
};

export type ClaimedDelivery = {
  workspaceId: string;
  memberId: string;
  slackUserId: string;
  teamId: string;
  localDate: string;
  attempts: number;
  claimedAt: string;
  previousAttempt: { at: string | null; channel: string | null; error: string | null } | null;
};
