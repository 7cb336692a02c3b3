import type { DigestClaimResult, Digest as ApiDigest, DigestSettings as ApiDigestSettings, DigestStatus as ApiDigestStatus } from '../../backend/api-types.js';

/**
 * The shapes of the backend's digest routes (GET /api/me/digest, GET
 * /api/me/digest/status, POST /api/slack/digests/claim), as the routes
 * declare them.
 */
export type Digest = ApiDigest;
export type FollowUpItem = Digest['dueToday']['items'][number];
export type ContactRef = FollowUpItem['contact'];
export type MemberRef = FollowUpItem['owner'];
export type DigestSettings = ApiDigestSettings;
export type DigestStatus = ApiDigestStatus;
export type DigestDelivery = DigestStatus['deliveries'][number];
export type ClaimedDelivery = DigestClaimResult['claimed'][number];
