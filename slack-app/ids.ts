/**
 * Every string Slack hands back to us (action_id, block_id, callback_id), the
 * one slash command and the events subscribed to. The code that renders a
 * button or opens a modal and the listener that handles it both import from
 * here, so they cannot drift. The manifest (manifest.yml) must name the same
 * command, shortcut and events (a test checks).
 */

export const COMMAND = '/crm';

/** Every Events API subscription. */
export const SUBSCRIBED_EVENTS = [
  'app_home_opened',
  'app_mention',
  'app_uninstalled',
  // a channel that stops being a place for channel alerts (issue 19): shared with another organisation,
  // archived or deleted, or Rapport left it (member_left_channel for the bot, group_left)
  'channel_archive',
  'channel_deleted',
  'channel_shared',
  'group_archive',
  'group_deleted',
  'group_left',
  'member_left_channel',
  'link_shared',
  'message.channels',
  'message.groups',
  'message.im',
  'tokens_revoked',
] as const;

/** action_id of every button and select we render. Values are ids (or the query, for createContact). */
export const ACTIONS = {
  edit: 'contact_edit',
  addNote: 'contact_add_note',
  addFollowUp: 'contact_add_follow_up',
  logCall: 'contact_log_call',
  moreHistory: 'contact_more_history',
  share: 'contact_share',
  createContact: 'contact_create',
  pickContact: 'contact_pick',
  followUpDone: 'follow_up_done',
  followUpSnooze1d: 'follow_up_snooze_1d',
  followUpSnooze1w: 'follow_up_snooze_1w',
  // a link button still sends block_actions: its listener only has to ack()
  openInRapport: 'open_in_rapport',
  // /crm link with several candidates; value 'company:<id>' or 'contact:<id>'
  linkPick: 'channel_link_pick',
  // the daily digest's follow-ups (value: the follow-up id; the users_select has
  // no value, its block_id carries the id: digestBlockId)
  digestDone: 'digest_done',
  digestSnooze1d: 'digest_snooze_1d',
  digestSnooze1w: 'digest_snooze_1w',
  digestReassign: 'digest_reassign',
  // the admin's Team part of the Home tab: Add people and Change (buttons), Edit
  // and Deactivate (selects whose option value is the member id: static, or external past 100)
  teamAdd: 'team_add',
  teamEdit: 'team_edit',
  teamDeactivate: 'team_deactivate',
  // shown when someone left: a modal to choose whom to reactivate
  teamReactivate: 'team_reactivate',
  teamPolicy: 'team_policy',
  // the Home tab's Email capture part (mailbox/): a new capture address (confirm first), Gmail sync's
  // Connect and Reconnect (link buttons: their listener only acks) and Disconnect (confirm first)
  captureRotate: 'capture_rotate',
  gmailConnect: 'gmail_connect',
  gmailReconnect: 'gmail_reconnect',
  gmailDisconnect: 'gmail_disconnect',
  // Google Calendar beside Gmail sync: turn it on or off (buttons), give Google's consent (a link)
  calendarOn: 'calendar_on',
  calendarOff: 'calendar_off',
  calendarConnect: 'calendar_connect',
  // accounts and deals (issue 18). dealNew's value is JSON {companyId?, contactId?} (what prefills the modal);
  // the other deal buttons' value is the deal id. Move stage opens a modal with the pipeline's stages;
  // Mark won and Mark lost open one asking for the reason. Snooze is the digest's stalled deals' (a week).
  dealNew: 'deal_new',
  dealMoveStage: 'deal_move_stage',
  dealMarkWon: 'deal_mark_won',
  dealMarkLost: 'deal_mark_lost',
  dealSnooze: 'deal_snooze',
  // the account card's "More history" (value: the company id and the timeline cursor, as moreHistory's)
  accountMoreHistory: 'account_more_history',
  // an alert's buttons (issue 19); value: the alert's id. Open card shows the subject's card (contact,
  // deal or account); Done, Snooze and Assign to me act on the subject (follow-up, deal, waiting message)
  alertOpen: 'alert_open',
  alertDone: 'alert_done',
  alertSnooze: 'alert_snooze',
  alertAssign: 'alert_assign',
  // the channel rules listed in /crm alerts channel: remove one (value: the rule's id)
  alertRuleDelete: 'alert_rule_delete',
  // the Home tab's "Open in browser": makes a fresh one-time sign-in link (issue 20) and shows it in a modal,
  // whose link button is openInRapport's (its listener only acks)
  homeOpenBrowser: 'home_open_browser',
} as const;

/** callback_id of every modal. */
export const VIEWS = {
  editContact: 'contact_edit_view',
  addNote: 'contact_add_note_view',
  addFollowUp: 'contact_add_follow_up_view',
  logCall: 'contact_log_call_view',
  logMessage: 'log_message_view',
  createContact: 'contact_create_view',
  // the admin's team controls on the Home tab (team/team-admin.ts)
  teamAdd: 'team_add_view',
  teamEdit: 'team_edit_view',
  teamDeactivate: 'team_deactivate_view',
  teamReactivate: 'team_reactivate_view',
  teamPolicy: 'team_policy_view',
  dealNew: 'deal_new_view',
  dealMoveStage: 'deal_move_stage_view',
  dealClose: 'deal_close_view',
  // /crm alerts (a member's kinds, working hours and days) and /crm alerts channel (a channel rule)
  alertPrefs: 'alert_prefs_view',
  alertRule: 'alert_rule_view',
  // the Home tab's "Open in browser": the sign-in link, nothing to submit
  openBrowser: 'open_browser_view',
} as const;

/** callback_id of the message shortcut. */
export const SHORTCUTS = {
  logMessage: 'log_to_rapport',
} as const;

/**
 * block_id of the blocks a listener may need to find. Several follow-ups sit in
 * one message, so their block ids carry the follow-up id: see followUpBlockId.
 */
export const BLOCKS = {
  contactHeader: 'contact_header',
  contactFields: 'contact_fields',
  contactFollowUps: 'contact_follow_ups',
  contactMeetings: 'contact_meetings',
  contactHistory: 'contact_history',
  contactActions: 'contact_actions',
  external: 'contact_external',
  pickerSummary: 'picker_summary',
  pickerMore: 'picker_more',
  noMatch: 'no_match',
  noMatchActions: 'no_match_actions',
  help: 'help',
  followUpsSummary: 'follow_ups_summary',
  followUpsMore: 'follow_ups_more',
  followUpItem: 'follow_up_item',
  followUpActions: 'follow_up_actions',
  error: 'error',
  digestHeader: 'digest_header',
  digestItem: 'digest_item',
  digestActions: 'digest_actions',
  // a deal in the digest's deal sections: 'digest_deal:<deal id>', 'digest_deal_actions:<deal id>'
  digestDeal: 'digest_deal',
  digestDealActions: 'digest_deal_actions',
  captureAddress: 'capture_address',
  captureActions: 'capture_actions',
  gmailStatus: 'gmail_status',
  gmailActions: 'gmail_actions',
  mailboxes: 'mailboxes',
  // the reconnect DM's button
  gmailNotice: 'gmail_notice',
} as const;

/**
 * block_id for one follow-up's blocks; Slack wants block ids unique per message.
 *   followUpBlockId(BLOCKS.followUpActions, 'f1') = 'follow_up_actions:f1'
 */
export function followUpBlockId(prefix: (typeof BLOCKS)['followUpItem' | 'followUpActions'], followUpId: string): string {
  return `${prefix}:${followUpId}`;
}

/**
 * block_id for one follow-up's blocks in a digest; what a button did replaces
 * the actions block under the same id.
 *   digestBlockId(BLOCKS.digestActions, 'f1') = 'digest_actions:f1'
 */
export function digestBlockId(prefix: (typeof BLOCKS)['digestItem' | 'digestActions' | 'digestDeal' | 'digestDealActions'], followUpId: string): string {
  return `${prefix}:${followUpId}`;
}

/**
 * Input blocks inside the modals: block_id and the action_id of its element,
 * as found in view.state.values[block][action].
 */
export const INPUTS = {
  name: { block: 'input_name', action: 'name' },
  emails: { block: 'input_emails', action: 'emails' },
  phone: { block: 'input_phone', action: 'phone' },
  title: { block: 'input_title', action: 'title' },
  reading: { block: 'input_reading', action: 'reading' },
  company: { block: 'input_company', action: 'company' },
  stage: { block: 'input_stage', action: 'stage' },
  owner: { block: 'input_owner', action: 'owner' },
  contact: { block: 'input_contact', action: 'contact' },
  note: { block: 'input_note', action: 'note' },
  dueAt: { block: 'input_due_at', action: 'due_at' },
  occurredAt: { block: 'input_occurred_at', action: 'occurred_at' },
  direction: { block: 'input_direction', action: 'direction' },
  summary: { block: 'input_summary', action: 'summary' },
  kind: { block: 'input_kind', action: 'kind' },
  tags: { block: 'input_tags', action: 'tags' },
  dueDate: { block: 'input_due_date', action: 'due_date' },
  dueTime: { block: 'input_due_time', action: 'due_time' },
  occurredDate: { block: 'input_occurred_date', action: 'occurred_date' },
  occurredTime: { block: 'input_occurred_time', action: 'occurred_time' },
  people: { block: 'input_people', action: 'people' },
  role: { block: 'input_role', action: 'role' },
  manager: { block: 'input_manager', action: 'manager' },
  timezone: { block: 'input_timezone', action: 'timezone' },
  reassignTo: { block: 'input_reassign_to', action: 'reassign_to' },
  joinPolicy: { block: 'input_join_policy', action: 'join_policy' },
  reactivate: { block: 'input_reactivate', action: 'reactivate' },
  joinDomains: { block: 'input_join_domains', action: 'join_domains' },
} as const;

export type ActionId = (typeof ACTIONS)[keyof typeof ACTIONS];
export type ViewId = (typeof VIEWS)[keyof typeof VIEWS];
