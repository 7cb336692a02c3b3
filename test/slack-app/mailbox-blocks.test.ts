import { describe, expect, it } from 'vitest';
import { HOME_MAX_BLOCKS, homeView } from '../../slack-app/home/home-view.js';
import { ACTIONS, BLOCKS } from '../../slack-app/ids.js';
import { assertMessageLimits } from '../../slack-app/limits.js';
import { emailCaptureBlocks, mailboxesBlocks } from '../../slack-app/mailbox/home-blocks.js';
import { noticeMessage } from '../../slack-app/mailbox/notice.js';
import type { CapturePart, MailboxRow, MailboxStatus } from '../../slack-app/mailbox/types.js';

/** The Email capture and Mailboxes builders on plain data: what each state shows, escaping, and the Home's 100 blocks. */
const where = { locale: 'en' as const, timeZone: 'Asia/Tokyo', now: '2026-12-03T00:00:00Z' };
const capture = { address: 'log+k3v9q2abcd@in.example.com', secret: 'k3v9q2abcd', rotatedAt: null, recentRefusals: [] };
const counts = { captured: 120, skipped: { bulk: 30, category: 10, blocked: 1, unknown: 4, internal: 5 } };
const calendar = { enabled: true, granted: false, status: 'off' as const, lastSyncAt: null, lastError: null, counts: { captured: 0, upcoming: 0 } };
const status = (over: Partial<MailboxStatus> = {}): MailboxStatus => ({
  available: true,
  connected: true,
  address: 'sam@acme.example',
  mode: 'oauth',
  status: 'active',
  lastSyncAt: '2026-12-02T23:58:00Z',
  lastError: null,
  counts,
  policy: 'known',
  visibility: 'private',
  blockList: [],
  calendar,
  ...over,
});
const CONSENT = 'https://accounts.google.com/o/oauth2/v2/auth?client_id=x&state=s';
const blockOf = (blocks: any[], id: string) => blocks.find((b) => b.block_id === id);

describe('the Email capture part of the Home tab', () => {
  it('not connected: what sync would capture, and Connect Gmail opening the consent page', () => {
    const part: CapturePart = { capture, gmail: { ok: true, status: status({ connected: false, status: 'off', address: null }), authorizeUrl: CONSENT } };
    const blocks = emailCaptureBlocks(part, where) as any[];
    assertMessageLimits(blocks);
    expect(blockOf(blocks, BLOCKS.gmailStatus).text.text).toContain('*Gmail sync*: not connected');
    // the calendar is wanted (the default): Connect asks for it too
    expect(blockOf(blocks, BLOCKS.gmailStatus).text.text).toContain('Google Calendar too');
    expect(blockOf(blocks, BLOCKS.gmailActions).elements).toEqual([
      expect.objectContaining({ action_id: ACTIONS.gmailConnect, url: CONSENT, text: expect.objectContaining({ text: 'Connect Gmail' }) }),
    ]);
    const without = status({ connected: false, status: 'off', address: null, calendar: { ...calendar, enabled: false } });
    const gmailOnly = emailCaptureBlocks({ capture, gmail: { ok: true, status: without, authorizeUrl: CONSENT } }, where) as any[];
    expect(blockOf(gmailOnly, BLOCKS.gmailActions).elements.map((e: any) => e.action_id)).toEqual([ACTIONS.gmailConnect, ACTIONS.calendarOn]);
  });

  it('connected: status in words, address, last sync, counts by reason, and Disconnect behind a confirm', () => {
    const blocks = emailCaptureBlocks({ capture, gmail: { ok: true, status: status() } }, where) as any[];
    const text = blockOf(blocks, BLOCKS.gmailStatus).text.text;
    expect(text).toContain('*Gmail sync* (sam@acme.example): syncing');
    expect(text).toMatch(/Last synced .*2026.* · 120 captured, 50 skipped/);
    expect(text).toContain('newsletters 30, Gmail categories 10, blocked 1, unknown senders 4, colleagues only 5');
    const disconnect = blockOf(blocks, BLOCKS.gmailActions).elements.find((e: any) => e.action_id === ACTIONS.gmailDisconnect);
    expect(disconnect).toMatchObject({ action_id: ACTIONS.gmailDisconnect, style: 'danger', confirm: { title: { text: 'Disconnect Gmail?' } } });
    expect(disconnect.confirm.text.text).toContain('sam@acme.example');
  });

  it('reconnect: why, the last error escaped, and Reconnect to the consent page beside Disconnect', () => {
    const s = status({ status: 'reconnect', lastError: 'Google refused <!channel> access' });
    const blocks = emailCaptureBlocks({ capture, gmail: { ok: true, status: s, authorizeUrl: CONSENT } }, where) as any[];
    const text = blockOf(blocks, BLOCKS.gmailStatus).text.text;
    expect(text).toContain('needs reconnecting');
    expect(text).toContain('Google stopped letting Rapport read this mailbox');
    expect(text).toContain('Last problem: Google refused &lt;!channel&gt; access');
    expect(blockOf(blocks, BLOCKS.gmailActions).elements.map((e: any) => [e.action_id, e.url])).toEqual([
      [ACTIONS.gmailReconnect, CONSENT],
      [ACTIONS.gmailDisconnect, undefined],
      [ACTIONS.calendarOff, undefined],
    ]);
  });

  it('no Gmail part where the server offers none, and a failure said in words', () => {
    expect(JSON.stringify(emailCaptureBlocks({ capture, gmail: { ok: true, status: status({ available: false }) } }, where))).not.toContain('Gmail');
    expect(JSON.stringify(emailCaptureBlocks({ capture }, where))).not.toContain('Gmail');
    const failed = JSON.stringify(emailCaptureBlocks({ capture, gmail: { ok: false, reason: 'backend down' } }, where));
    expect(failed).toContain('Rapport could not load this part: backend down');
  });

  it('lists the latest three refusals, each with why in words, escaped', () => {
    const refusal = (i: number) => ({ at: '2026-12-01T00:00:00Z', reason: 'sender_not_member' as const, from: `x${i}@evil.example`, subject: `<@U123> ${i}` });
    const blocks = emailCaptureBlocks({ capture: { ...capture, recentRefusals: [1, 2, 3, 4, 5].map(refusal) } }, where) as any[];
    const shown = JSON.stringify(blocks.filter((b) => b.type === 'context'));
    expect(shown).toContain('from x1@evil.example, “&lt;@U123&gt; 1”: not sent from one of your addresses');
    expect(shown).toContain('x3@evil.example');
    expect(shown).not.toContain('x4@evil.example');
  });
});

describe("an admin's Mailboxes part", () => {
  const row = (i: number, over: Partial<MailboxRow> = {}): MailboxRow => ({
    member: { id: String(i), name: `Rep ${String(i).padStart(3, '0')}`, email: `rep${i}@acme.example` },
    address: `rep${i}@acme.example`,
    mode: 'oauth',
    status: 'active',
    lastSyncAt: '2026-12-02T23:00:00Z',
    lastError: null,
    counts,
    calendar,
    ...over,
  });

  it('lists those needing someone first, with name, address, status, last sync and last error', () => {
    const items = [row(1), row(2, { status: 'reconnect', lastError: 'Google no longer accepts the access' }), row(3, { status: 'failed', mode: 'delegated' })];
    const blocks = mailboxesBlocks(items, where) as any[];
    assertMessageLimits(blocks, HOME_MAX_BLOCKS);
    const text = JSON.stringify(blocks);
    expect(text).toContain('Mailboxes (3)');
    expect(text).toContain('Mailboxes that need attention: 2');
    expect(text.indexOf('Rep 002')).toBeLessThan(text.indexOf('Rep 003'));
    expect(text.indexOf('Rep 003')).toBeLessThan(text.indexOf('Rep 001'));
    expect(text).toContain('(rep2@acme.example): needs reconnecting');
    expect(text).toContain('Last problem: Google no longer accepts the access');
    expect(text).toContain('set up by your Google admin');
    expect(JSON.stringify(mailboxesBlocks([], where))).toContain('Nobody has connected Gmail yet.');
  });

  it('a Home with 500 follow-ups, 300 mailboxes and a team of 600 stays within 100 blocks, counting what it leaves out', () => {
    const members = Array.from({ length: 600 }, (_, i) => ({
      id: String(i),
      email: `p${i}@x.example`,
      name: `Person ${i}`,
      role: 'rep' as const,
      manager: null,
      managerId: null,
      timezone: 'UTC',
      locale: 'en' as const,
      slackUserId: null,
      active: true,
      joinedVia: 'invite' as const,
      addresses: [],
      lastSeenAt: null,
    }));
    const followUps = Array.from({ length: 500 }, (_, i) => ({
      id: `f${i}`,
      contact: { id: `c${i}`, name: `Contact ${i}`, company: null },
      owner: null,
      dueAt: '2026-12-04T00:00:00Z',
      status: 'open',
      note: 'x'.repeat(100),
    }));
    const view = homeView(
      {
        followUps: { ok: true, value: followUps as never },
        activity: { ok: true, value: [] },
        links: { ok: true, value: [] },
        capture: { ok: true, value: { capture, gmail: { ok: true, status: status({ status: 'reconnect' }), authorizeUrl: CONSENT } } },
        mailboxes: { ok: true, value: Array.from({ length: 300 }, (_, i) => row(i, { lastError: 'e'.repeat(400) })) },
        team: { ok: true, value: { members, joinPolicy: 'slack', joinDomains: [] } },
      },
      where,
    );
    expect(view.blocks.length).toBeLessThanOrEqual(HOME_MAX_BLOCKS);
    const text = JSON.stringify(view.blocks);
    expect(text).toContain(`\`${capture.address}\``);
    expect(text).toMatch(/Mailboxes \(300\).*…and 282 more/);
    expect(text).toMatch(/Team \(600\)/);
  });
});

describe('the reconnect DM', () => {
  const notice = {
    workspaceId: 'w',
    memberId: 'm',
    slackTeamId: 'T1',
    slackUserId: 'U1',
    address: 'li@acme.example',
    reconnectUrl: 'https://rapport.example.com/google/connect?sig=x',
  };

  it.each(['invalid_grant', 'revoked', 'domain_policy', 'insufficient_scope'] as const)('says why (%s) in English, Japanese and Chinese', (reason) => {
    for (const locale of ['en', 'ja', 'zh'] as const) {
      const message = noticeMessage({ ...notice, locale, reason });
      assertMessageLimits(message.blocks);
      expect(message.text).toContain('li@acme.example');
      expect(JSON.stringify(message.blocks)).toContain(notice.reconnectUrl);
    }
    expect(noticeMessage({ ...notice, locale: 'zh', reason }).text).toContain('Rapport 已停止同步 li@acme.example');
  });
});
