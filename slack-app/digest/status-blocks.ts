import type { KnownBlock } from '@slack/types';
import type { Locale } from '../../backend/i18n/vocabulary.js';
import { escapeTruncate, formatDate } from '../format.js';
import { assertMessageLimits } from '../limits.js';
import type { SlackMessage } from '../contacts/contact-card.js';
import { context, header, listText, localDateLabel, msg, name, oneLine, section } from './pieces.js';
import type { DigestDelivery, DigestSettings, DigestStatus, MemberRef } from './types.js';

/**
 * What `/crm digest status` and `/crm digest on|off|time|weekends` answer,
 * and the digest's part of the Home tab: pure builders over the backend's
 * DigestSettings and DigestStatus.
 */

type Where = { locale: Locale; timeZone: string };

/** 'Your daily digest is on: every weekday at 09:00 (Asia/Tokyo).', escaped. */
export function settingsLine(s: DigestSettings, locale: Locale): string {
  const m = msg(locale);
  if (!s.enabled) return m('digest_settings_off');
  return m('digest_settings_on', { days: m(s.weekends ? 'digest_days_all' : 'digest_days_weekdays'), time: s.time, timezone: s.timezone });
}

/** The answer to a settings change: the settings as they now are. */
export function settingsMessage(s: DigestSettings, locale: Locale): SlackMessage {
  return finish(settingsLine(s, locale), [section(`:calendar: ${settingsLine(s, locale)}`)]);
}

/** Settings, the caller's latest deliveries and their team's failed ones. */
export function statusBlocks(status: DigestStatus, where: Where): SlackMessage {
  const m = msg(where.locale);
  const { settings } = status;
  const blocks: KnownBlock[] = [header(m('digest_status_header')), section(`:calendar: ${settingsLine(settings, where.locale)}`)];
  const { explicit } = settings;
  if (explicit.enabled === null || explicit.time === null || explicit.weekends === null) blocks.push(context(m('digest_default_note')));
  const deliveries = status.deliveries.map((d) => `• ${deliveryLine(d, where)}`);
  blocks.push(
    section(
      deliveries.length
        ? listText(`*${m('digest_status_recent')}*`, deliveries, deliveries.length, where.locale)
        : `*${m('digest_status_recent')}*\n${m('digest_status_none')}`,
    ),
  );
  if (settings.isManager || status.teamFailures.length > 0) {
    const title = `${status.teamFailures.length ? ':rotating_light: ' : ''}*${m('digest_team_failures', { count: status.teamFailures.length })}*`;
    const lines = status.teamFailures.map((f) => `• ${failureLine(f, where)}`);
    blocks.push(section(listText(title, lines, lines.length, where.locale)));
  }
  return finish(m('digest_status_header'), blocks);
}

/**
 * The Home tab's digest part: failed deliveries of the member (and, for a
 * manager, of the team) with a pointer to /crm digest status; without
 * failures, one line with the settings.
 */
export function digestHomeBlocks(status: DigestStatus, self: MemberRef, where: Where): KnownBlock[] {
  const m = msg(where.locale);
  const own = status.deliveries
    .filter((d) => d.status === 'failed')
    .map((d) => ({ member: self, localDate: d.localDate, lastError: d.lastError, attempts: d.attempts }));
  const failures = [...own, ...status.teamFailures.filter((f) => f.member.id !== self.id)].sort((a, b) => b.localDate.localeCompare(a.localDate));
  const hint = m('digest_home_status');
  if (failures.length === 0) return [context(`:calendar: ${settingsLine(status.settings, where.locale)} · ${hint}`)];
  const lines = failures.slice(0, 5).map((f) => `• ${failureLine(f, where)}`);
  return [section(listText(`:rotating_light: *${m('digest_home_failed', { count: failures.length })}*`, lines, failures.length, where.locale)), context(hint)];
}

function deliveryLine(d: DigestDelivery, where: Where): string {
  const m = msg(where.locale);
  const parts = [escapeTruncate(localDateLabel(d.localDate, where.locale), 50), m(`digest_status_${d.status}`)];
  if (d.status === 'sent' && d.sentAt) parts[1] += ` ${escapeTruncate(formatDate(d.sentAt, where.locale, where.timeZone), 80)}`;
  if (d.attempts > 1 || d.status === 'failed') parts.push(m('digest_attempts', { count: d.attempts }));
  if (d.lastError && d.status !== 'sent' && d.status !== 'skipped') parts.push(escapeTruncate(oneLine(d.lastError), 300));
  return parts.join(' · ');
}

function failureLine(f: { member: MemberRef; localDate: string; lastError: string | null; attempts: number }, where: Where): string {
  const m = msg(where.locale);
  const error = f.lastError ? ` · ${escapeTruncate(oneLine(f.lastError), 300)}` : '';
  return `*${name(f.member.name)}* · ${escapeTruncate(localDateLabel(f.localDate, where.locale), 50)} · ${m('digest_attempts', { count: f.attempts })}${error}`;
}

function finish(text: string, blocks: KnownBlock[]): SlackMessage {
  assertMessageLimits(blocks);
  return { text, blocks };
}
