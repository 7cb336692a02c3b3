import type { Reader } from './event';
import { t } from './i18n';
import type { Context } from './cards';

/** How long ago `at` was, as a person says it: ago(r, '…10 minutes before nowMs…', nowMs) = '10 minutes ago' (ja '10分前'). */
export function ago(r: Reader, at: string, nowMs: number): string {
  const minutes = Math.max(0, Math.floor((nowMs - Date.parse(at)) / 60_000));
  if (minutes < 1) return t(r.locale, 'ago_now');
  if (minutes < 60) return minutes === 1 ? t(r.locale, 'ago_minute') : t(r.locale, 'ago_minutes', { count: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return hours === 1 ? t(r.locale, 'ago_hour') : t(r.locale, 'ago_hours', { count: hours });
  const days = Math.floor(hours / 24);
  return days === 1 ? t(r.locale, 'ago_day') : t(r.locale, 'ago_days', { count: days });
}

/**
 * The "someone else is already on it" line for the open email, or null:
 * 'Rae Rep replied 10 minutes ago', 'Rae Rep is on it (assigned 5 minutes ago)'.
 */
export function answeredLine(r: Reader, ctx: Context, nowMs: number): string | null {
  const a = ctx.answered;
  if (!a) return null;
  const params = { name: a.by.name, ago: ago(r, a.at, nowMs) };
  return a.state === 'replied' ? t(r.locale, 'answered_replied', params) : t(r.locale, 'answered_assigned', params);
}
