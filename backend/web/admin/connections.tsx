/** @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import type { ChannelLink } from '../../channel-links/schemas.js';
import type { MailboxList } from '../../google/schemas.js';
import { formatDate } from '../../i18n/dates.js';
import { isMessageKey, type MessageKey, t } from '../../i18n/messages.js';
import type { Locale } from '../../i18n/vocabulary.js';
import { requireSession } from '../guard.js';
import { page } from '../layout.js';
import type { WebEnv } from '../session.js';
import { AdminNav, adminCall, adminPage } from './common.js';

type Mailbox = MailboxList['items'][number];

/** What the connections page reads in one call (api.web_admin_connections). */
interface Connections {
  slack: { teamId: string; teamName: string | null; installedAt: string }[];
  mailboxes: Mailbox[];
  channels: ChannelLink[];
}

/** A failure's key (mailbox_error_*, as GET /api/mailboxes words it) in the reader's language. */
function words(locale: Locale, key: string | null): string | null {
  if (key === null) return null;
  return isMessageKey(key) ? t(locale, key) : t(locale, 'mailbox_error_unknown');
}

/**
 * /admin/connections: the Slack team linked, every mailbox's and calendar's
 * sync with its last error in words and its counts, and every linked
 * channel's capture: the same data as GET /api/mailboxes and
 * GET /api/channel-links, read in one call.
 */
export const connectionRoutes = new Hono<WebEnv>().get(
  '/admin/connections',
  requireSession,
  adminPage(async (c, user) => {
    const data = await adminCall<Connections>(c, 'web_admin_connections', {});
    const { locale, timezone } = user;
    const tr = (k: MessageKey) => t(locale, k);
    const when = (iso: string | null) => (iso ? formatDate(iso, locale, timezone) : tr('web_admin_never'));
    const status = (s: string) => t(locale, `web_admin_status_${s}` as MessageKey);
    const available = Boolean(c.get('deps').gmail);
    return page(c, {
      title: `${tr('web_admin_nav_connections')} · ${tr('web_admin_title')}`,
      body: (
        <>
          <AdminNav locale={locale} current="connections" />
          <h1>{tr('web_admin_nav_connections')}</h1>

          <h2>{tr('web_admin_slack_title')}</h2>
          {data.slack.length ? (
            <ul class="plain">
              {data.slack.map((s) => (
                <li>{t(locale, 'web_admin_slack_linked', { team: s.teamName ?? s.teamId, date: formatDate(s.installedAt, locale, timezone) })}</li>
              ))}
            </ul>
          ) : (
            <p>{tr('web_admin_slack_not_linked')}</p>
          )}

          <h2>{tr('web_admin_gmail_title')}</h2>
          {available ? null : <p class="muted">{tr('web_admin_gmail_unavailable')}</p>}
          {data.mailboxes.length ? (
            <table class="wide admin-table">
              <thead>
                <tr>
                  <th scope="col">{tr('web_admin_col_member')}</th>
                  <th scope="col">{tr('web_admin_col_status')}</th>
                  <th scope="col">{tr('web_admin_col_last_sync')}</th>
                  <th scope="col">{tr('web_admin_col_last_error')}</th>
                  <th scope="col">{tr('web_admin_col_counts')}</th>
                  <th scope="col">{tr('web_admin_col_calendar')}</th>
                </tr>
              </thead>
              <tbody>
                {data.mailboxes.map((b) => {
                  const skipped = Object.values(b.counts.skipped).reduce((a, n) => a + n, 0);
                  const error = words(locale, b.lastError);
                  const calError = words(locale, b.calendar.lastError);
                  return (
                    <tr>
                      <td>
                        {b.member.name}
                        <br />
                        <span class="muted">
                          {b.address ?? b.member.email}
                          {b.mode ? ` · ${tr(`web_admin_mode_${b.mode}`)}` : ''}
                        </span>
                      </td>
                      <td data-label={tr('web_admin_col_status')}>
                        <span class={`badge status-${b.status}`}>{status(b.status)}</span>
                      </td>
                      <td data-label={tr('web_admin_col_last_sync')}>{when(b.lastSyncAt)}</td>
                      <td data-label={tr('web_admin_col_last_error')}>{error ? <span class="error">{error}</span> : tr('web_admin_none')}</td>
                      <td data-label={tr('web_admin_col_counts')}>{t(locale, 'web_admin_counts', { captured: b.counts.captured, skipped })}</td>
                      <td data-label={tr('web_admin_col_calendar')}>
                        {b.calendar.enabled ? status(b.calendar.status) : status('off')}
                        {calError ? (
                          <>
                            <br />
                            <span class="error">{calError}</span>
                          </>
                        ) : null}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          ) : (
            <p>{tr('web_admin_mailboxes_none')}</p>
          )}

          <h2>{tr('web_admin_channels_title')}</h2>
          {data.channels.length ? (
            <table class="wide admin-table">
              <thead>
                <tr>
                  <th scope="col">{tr('web_admin_col_channel')}</th>
                  <th scope="col">{tr('web_admin_col_filed_under')}</th>
                  <th scope="col">{tr('web_admin_col_last_captured')}</th>
                  <th scope="col">{tr('web_admin_col_last_error')}</th>
                </tr>
              </thead>
              <tbody>
                {data.channels.map((l) => (
                  <tr>
                    <td>
                      #{l.channelName ?? l.channelId}
                      {l.isExtShared ? <span class="muted"> · {tr('web_admin_shared')}</span> : null}
                    </td>
                    <td data-label={tr('web_admin_col_filed_under')}>
                      <a href={l.target.type === 'contact' ? `/c/${l.target.id}` : `/companies/${l.target.id}`}>{l.target.name}</a>
                    </td>
                    <td data-label={tr('web_admin_col_last_captured')}>{when(l.lastCapturedAt)}</td>
                    <td data-label={tr('web_admin_col_last_error')}>
                      {l.lastError ? (
                        <span class="error">{`${isMessageKey(l.lastError) ? t(locale, l.lastError) : l.lastError} (${when(l.lastErrorAt)})`}</span>
                      ) : (
                        tr('web_admin_none')
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p>{tr('web_admin_channels_none')}</p>
          )}
        </>
      ),
    });
  }),
);
