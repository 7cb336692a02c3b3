import type { MemberBrief } from '../../backend/api-types.js';
import type { MeCapture } from '../../backend/me/schemas.js';

/**
 * What the Email capture surfaces read: GET /api/me/capture, and Gmail sync's
 * answers (GET /api/me/mailbox, GET /api/mailboxes) and the sync worker's
 * reconnect notice. The mailbox shapes are declared here until
 * backend/google/schemas.ts lands, with exactly the lead's shapes.
 */
export type Capture = MeCapture;
export type CaptureRefusal = MeCapture['recentRefusals'][number];

export type MailboxState = 'off' | 'importing' | 'active' | 'paused' | 'reconnect' | 'failed';
export type SkipReason = 'bulk' | 'category' | 'blocked' | 'unknown' | 'internal';
export type MailboxCounts = { captured: number; skipped: Record<SkipReason, number> };

/** GET /api/me/mailbox */
export type MailboxStatus = {
  /** the server has Google OAuth configured */
  available: boolean;
  connected: boolean;
  address: string | null;
  mode: 'oauth' | 'delegated' | null;
  status: MailboxState;
  lastSyncAt: string | null;
  /** plain words in the caller's locale */
  lastError: string | null;
  counts: MailboxCounts;
  policy: 'known' | 'external';
  visibility: 'private' | 'workspace' | 'subject';
};

/** One entry of GET /api/mailboxes (admins only). */
export type MailboxRow = {
  member: MemberBrief;
  address: string | null;
  mode: 'oauth' | 'delegated' | null;
  status: MailboxState;
  lastSyncAt: string | null;
  lastError: string | null;
  counts: MailboxCounts;
};

/** What the sync worker hands deps.jobs.mailboxNotice when a mailbox needs reconnecting. */
export type MailboxNotice = {
  workspaceId: string;
  memberId: string;
  slackTeamId: string | null;
  slackUserId: string | null;
  locale: 'en' | 'ja' | 'zh';
  address: string;
  reason: 'invalid_grant' | 'revoked' | 'domain_policy' | 'insufficient_scope';
  /** a signed link, valid 7 days, that restarts Google's consent */
  reconnectUrl: string;
};

/** The Home tab's Email capture part: the address, and Gmail sync when the server offers it. */
export type CapturePart = {
  capture: Capture;
  /** absent: the server has no Gmail sync to offer (or it could not be asked); a failure says why */
  gmail?: { ok: true; status: MailboxStatus; authorizeUrl?: string } | { ok: false; reason: string };
};
