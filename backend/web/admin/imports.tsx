/** @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import { bodyTooLarge } from '../../body-limit.js';
import { callerOf } from '../../http.js';
import { formatDate } from '../../i18n/dates.js';
import { isMessageKey, type MessageKey, t } from '../../i18n/messages.js';
import type { Locale } from '../../i18n/vocabulary.js';
import { exportContacts, renderExport } from '../../imports/export.js';
import { localizeReport } from '../../imports/service.js';
import { Id } from '../../schemas.js';
import { requireSession } from '../guard.js';
import { csrfOf, page } from '../layout.js';
import type { WebEnv } from '../session.js';
import { AdminNav, adminCall, adminPage, Refusal } from './common.js';
import { type StoredError, type StoredReport, startWebImport } from './import-run.js';

/** An import as api.web_import_get answers it. */
interface WebImport {
  id: string;
  fileName: string | null;
  status: 'running' | 'done' | 'failed';
  phase: 'parse' | 'validate' | 'write';
  done: number;
  total: number;
  report: StoredReport | null;
  error: StoredError | null;
  createdAt: string;
  updatedAt: string;
  member: { id: string; name: string; email: string };
}

/** An import that has said nothing for this long has stopped with its server (a part of one is never this long). */
const STALLED_MS = 10 * 60 * 1000;

/** How much of the whole each phase is, for one bar across the three. */
const PHASES = { parse: [0, 40], validate: [40, 60], write: [60, 100] } as const;

/** percent('validate', 1, 2) = 50: halfway through checking is half of its 40..60 */
export function percent(phase: WebImport['phase'], done: number, total: number): number {
  const [from, to] = PHASES[phase] ?? PHASES.parse;
  const share = total > 0 ? Math.min(1, Math.max(0, Number(done) / Number(total))) : 0;
  return Math.round(from + (to - from) * share);
}

/**
 * /admin/import: the upload form and the export; /admin/imports/:id: an
 * import's progress (the page follows it with a small script; without
 * one, its Refresh link: no meta refresh, which would also reload the page
 * under a screen reader's feet, and which Hono's JSX would hoist out of a
 * <noscript>), then its report as POST
 * /api/imports gives it. The form's CSRF token rides in its action's query:
 * the body goes, as it arrived, to the import code, which takes the
 * upload's own fields only.
 */
export const importRoutes = new Hono<WebEnv>()
  .get(
    '/admin/import',
    requireSession,
    adminPage((c, user) => {
      const { locale } = user;
      const tr = (k: MessageKey) => t(locale, k);
      const csrf = csrfOf(c) ?? '';
      return page(c, {
        title: `${tr('web_admin_nav_import')} · ${tr('web_admin_title')}`,
        body: (
          <>
            <AdminNav locale={locale} current="import" />
            <h1>{tr('web_admin_nav_import')}</h1>
            <h2>{tr('web_admin_import_title')}</h2>
            <form method="post" action={`/admin/import?_csrf=${encodeURIComponent(csrf)}`} enctype="multipart/form-data" class="card">
              <p>{tr('web_admin_import_intro')}</p>
              <label for="import-file">{tr('web_admin_import_file')}</label>
              <input id="import-file" name="file" type="file" accept=".csv,text/csv" required />
              <div class="choice">
                <input id="import-skip" name="skipInvalid" type="checkbox" value="true" />
                <label for="import-skip">{tr('web_admin_import_skip_invalid')}</label>
              </div>
              <div class="choice">
                <input id="import-dry" name="dryRun" type="checkbox" value="true" />
                <label for="import-dry">{tr('web_admin_import_dry_run')}</label>
              </div>
              <p>
                <button type="submit">{tr('web_admin_import_submit')}</button>
              </p>
            </form>
            <h2>{tr('web_admin_export_title')}</h2>
            <div class="card">
              <p>{tr('web_admin_export_intro')}</p>
              <p class="row">
                <a class="button" href="/admin/export?format=csv" download>
                  {tr('web_admin_export_csv')}
                </a>
                <a class="button secondary" href="/admin/export?format=json" download>
                  {tr('web_admin_export_json')}
                </a>
              </p>
            </div>
          </>
        ),
      });
    }),
  )
  .post(
    '/admin/import',
    requireSession,
    adminPage(async (c, user) => {
      try {
        const started = await startWebImport(c.get('deps'), callerOf(c as never), c.req.raw.body, c.req.header('content-type') ?? '', user.locale);
        return c.redirect(`/admin/imports/${started.id}`, 303);
      } catch (e) {
        const tooLarge = bodyTooLarge(e);
        if (tooLarge) throw new Refusal(413, 'payload_too_large', { limit: tooLarge.limit });
        throw e;
      }
    }),
  )
  .get(
    '/admin/imports/:id',
    requireSession,
    adminPage(async (c, user) => {
      const id = c.req.param('id') ?? '';
      if (!Id.safeParse(id).success) throw new Refusal(404, 'web_import_not_found', { id: id.slice(0, 40) });
      const run = await adminCall<WebImport>(c, 'web_import_get', { id });
      const { locale, timezone } = user;
      const name = run.fileName ?? t(locale, 'web_admin_import_unnamed');
      return page(c, {
        title: `${t(locale, 'web_admin_import_page_title', { file: name })} · ${t(locale, 'web_admin_title')}`,
        body: (
          <>
            <AdminNav locale={locale} current="import" />
            <h1>{t(locale, 'web_admin_import_page_title', { file: name })}</h1>
            <p class="muted">{t(locale, 'web_admin_import_started', { name: run.member.name, date: formatDate(run.createdAt, locale, timezone) })}</p>
            <div id="import-live" aria-live="polite">
              <ImportStatus locale={locale} run={run} />
            </div>
          </>
        ),
      });
    }),
  )
  .get(
    '/admin/export',
    requireSession,
    adminPage(async (c) => {
      const format = c.req.query('format') === 'json' ? 'json' : 'csv';
      const caller = callerOf(c as never);
      const out = renderExport(await exportContacts(c.get('deps').db, caller), format, new Date(caller.now));
      return c.body(out.body, 200, {
        'content-type': out.contentType,
        'content-disposition': `attachment; filename="${out.fileName}"`,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      });
    }),
  );

/** The part of the page that changes: the bar while it runs, then the report or why the file was refused. */
function ImportStatus(props: { locale: Locale; run: WebImport }) {
  const { locale, run } = props;
  const tr = (k: MessageKey) => t(locale, k);
  if (run.status === 'running' && Date.parse(run.updatedAt) < Date.now() - STALLED_MS) {
    return (
      <div id="import-status">
        <p class="error" role="alert">
          {tr('web_admin_import_stalled')}
        </p>
        <p>
          <a href="/admin/import">{tr('web_admin_import_again')}</a>
        </p>
      </div>
    );
  }
  if (run.status === 'running') {
    const pct = percent(run.phase, run.done, run.total);
    return (
      <div id="import-status" data-import-running="1">
        <p id="import-phase">{tr(`web_admin_phase_${run.phase}`)}</p>
        <progress max={100} value={pct} aria-labelledby="import-phase">
          {`${pct}%`}
        </progress>
        <p>
          <a href={`/admin/imports/${run.id}`}>{tr('web_admin_refresh')}</a>
        </p>
      </div>
    );
  }
  if (run.status === 'failed' || !run.report) {
    const e = run.error;
    return (
      <div id="import-status">
        <p class="error" role="alert">
          {tr('web_admin_import_failed')} {e && isMessageKey(e.key) ? t(locale, e.key, e.params) : ''}
        </p>
        <p>
          <a href="/admin/import">{tr('web_admin_import_again')}</a>
        </p>
      </div>
    );
  }
  const r = localizeReport(run.report, locale);
  const summary = run.report.summaries[locale] ?? r.summary;
  const rejectedMore = run.report.rejectedTotal - r.rejected.length;
  return (
    <div id="import-status">
      <p class={r.rejectedRows > 0 ? 'error' : 'ok'} role={r.rejectedRows > 0 ? 'alert' : 'status'}>
        {summary}
      </p>
      {r.ignored?.length ? <p>{t(locale, 'import_ignored_columns', { columns: r.ignored.join(', ') })}</p> : null}
      {r.rejected.length ? (
        <>
          <h2>{tr('web_admin_import_rejected_title')}</h2>
          {r.rejectedCsv !== undefined ? (
            <p>
              <a class="button" download="rejected.csv" href={`data:text/csv;charset=utf-8,${encodeURIComponent(r.rejectedCsv)}`}>
                {tr('web_admin_import_rejected_download')}
              </a>
            </p>
          ) : null}
          <ul class="plain report">
            {r.rejected.map((x) => (
              <li>{x.message}</li>
            ))}
          </ul>
          {rejectedMore > 0 ? <p>{t(locale, 'web_admin_import_more', { count: rejectedMore })}</p> : null}
        </>
      ) : null}
      {r.existing.length ? (
        <>
          <h2>{tr('web_admin_import_existing_title')}</h2>
          <ul class="plain report">
            {r.existing.map((x) => (
              <li>
                <a href={`/c/${x.contact.id}`}>{x.message}</a>
              </li>
            ))}
          </ul>
          {run.report.existingTotal > r.existing.length ? (
            <p>{t(locale, 'web_admin_import_more', { count: run.report.existingTotal - r.existing.length })}</p>
          ) : null}
        </>
      ) : null}
      <p>
        <a href="/admin/import">{tr('web_admin_import_again')}</a>
      </p>
    </div>
  );
}
