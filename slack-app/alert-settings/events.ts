/**
 * The Slack events that stop a channel's alert rules (issue 19): the channel
 * became shared with another organisation, was archived or deleted, or
 * Rapport left it. No member acts in them (identity.ts lets them through).
 */
export const CHANNEL_STOP_EVENTS = [
  'channel_shared',
  'channel_archive',
  'channel_deleted',
  'group_archive',
  'group_deleted',
  'member_left_channel',
  'group_left',
] as const;
