import type { MailboxList, MailboxStatus } from '../../backend/google/schemas.js';
import type { MeCapture } from '../../backend/me/schemas.js';

/**
 * What the Email capture surfaces read: GET /api/me/capture, and Gmail sync's
 * answers (GET /api/me/mailbox, GET /api/mailboxes) and the sync worker's
 * reconnect notice, as the backend declares them.
 */
export type Capture = MeCapture;
export type CaptureRefusal = MeCapture['recentRefusals'][number];

export type { MailboxNotice, MailboxStatus } from '../../backend/google/schemas.js';
/** One entry of GET /api/mailboxes (admins only). */
export type MailboxRow = MailboxList['items'][number];
export type MailboxState = MailboxStatus['status'];
export type MailboxCounts = MailboxStatus['counts'];

/** The Home tab's Email capture part: the address, and Gmail sync when the server offers it. */
export type CapturePart = {
  capture: Capture;
  /** absent: the server has no Gmail sync to offer (or it could not be asked); a failure says why */
  gmail?: { ok: true; status: MailboxStatus; authorizeUrl?: string; calendarUrl?: string } | { ok: false; reason: string };
};
