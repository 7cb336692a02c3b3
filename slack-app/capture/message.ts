/** A Slack message as events and the message shortcut deliver it. */
export interface SlackMessage {
  ts: string;
  thread_ts?: string;
  user?: string;
  text?: string;
  bot_id?: string;
  subtype?: string;
  files?: { name?: string; title?: string }[];
}

export type CaptureKind = 'slack' | 'call' | 'meeting' | 'note';

/**
 * The id of one Slack message in Rapport: team, channel and ts. Capturing it
 * twice (a retry, two people pressing "Log to Rapport") finds the same row.
 *   messageKey('T1', 'C1', '1700000000.000100') = 'T1:C1:1700000000.000100'
 */
export function messageKey(teamId: string, channelId: string, ts: string): string {
  return `${teamId}:${channelId}:${ts}`;
}

/**
 * Slack's escaped text as the person typed it: &amp; &lt; &gt; decoded, user
 * mentions kept as <@U…> (ids, not names, which change).
 *   plainText('Q&amp;A &lt;b&gt; <@U1>') = 'Q&A <b> <@U1>'
 */
export function plainText(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** The Slack users a message mentions, in order, once each. */
export function mentionedUsers(text: string): string[] {
  return [...new Set([...text.matchAll(/<@([UW][A-Z0-9]{2,20})(?:\|[^>]*)?>/g)].map((m) => m[1]!))];
}

/** When a Slack ts happened, as ISO 8601. */
export function tsToIso(ts: string): string {
  return new Date(Math.round(Number(ts) * 1000)).toISOString();
}

/**
 * What Rapport stores for a Slack message: one interaction keyed by team,
 * channel and ts, in the thread of its parent, with its author and the people
 * it mentions (a Slack user who is a member counts as ours, anyone else, with
 * the address their profile shows, as a contact). Attachments by name only.
 */
export function captureOfMessage(
  m: SlackMessage,
  opts: {
    teamId: string;
    channelId: string;
    kind?: CaptureKind;
    permalink?: string;
    author?: { email?: string; name?: string };
    botUserId?: string;
  },
) {
  const text = plainText(m.text ?? '');
  const files = (m.files ?? []).map((f) => f.name ?? f.title).filter((n): n is string => Boolean(n));
  const body = [text, ...(files.length ? [`📎 ${files.join(', ')}`] : [])].filter(Boolean).join('\n\n');
  const mentions = mentionedUsers(text).filter((u) => u !== m.user && u !== opts.botUserId);
  return {
    kind: opts.kind ?? 'slack',
    occurredAt: tsToIso(m.ts),
    ...(body ? { body: body.slice(0, 200_000) } : {}),
    source: 'slack' as const,
    externalId: messageKey(opts.teamId, opts.channelId, m.ts),
    threadKey: `slack:${messageKey(opts.teamId, opts.channelId, m.thread_ts ?? m.ts)}`,
    ...(opts.permalink ? { url: opts.permalink } : {}),
    participants: [
      ...(m.user
        ? [
            {
              role: 'author' as const,
              slackUserId: m.user,
              ...(opts.author?.email ? { email: opts.author.email } : {}),
              ...(opts.author?.name ? { name: opts.author.name.slice(0, 300) } : {}),
            },
          ]
        : []),
      ...mentions.slice(0, 100).map((u) => ({ role: 'mention' as const, slackUserId: u })),
    ],
  };
}
