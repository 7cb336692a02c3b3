/** @jsxImportSource hono/jsx */
import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type * as z from 'zod';
import { DbError } from '../../db/port.js';
import { fromDb } from '../../errors.js';
import { call } from '../../http.js';
import { type MessageKey, t } from '../../i18n/messages.js';
import type { Locale } from '../../i18n/vocabulary.js';
import { pageStatusOf, refusalPage as shownRefusal } from '../page-kit.js';
import type { WebEnv, WebUser } from '../session.js';

/**
 * What every admin page shares: the refusal of a non-admin, a refusal as
 * a sentence of the catalogue with its 4xx, the form's fields checked with
 * the JSON API's own schemas, and the admin pages' own navigation.
 */
export type AdminContext = Context<WebEnv>;

/** A refusal to show: a status and a catalogue key with its parameters. */
export class Refusal extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 409 | 413 | 422,
    readonly key: MessageKey,
    readonly params: Record<string, unknown> = {},
  ) {
    super(key);
    this.name = 'Refusal';
  }
}

/** A DbError (the SQL's crm.fail) as a refusal; anything else is thrown on. */
export function refusalOf(e: unknown): Refusal {
  if (e instanceof Refusal) return e;
  if (e instanceof DbError) {
    const err = fromDb(e.status, e.key, e.details);
    const status = ([400, 403, 404, 409, 413, 422] as const).find((s) => s === err.status) ?? 400;
    return new Refusal(status, err.key, err.params);
  }
  throw e;
}

/** One call to the SQL as the page's member. */
export function adminCall<T>(c: AdminContext, fn: string, args: object): Promise<T> {
  return call<T>(c as never, fn, args);
}

/** The member's sentence for a refusal. */
export function sentence(locale: Locale, r: Refusal): string {
  return t(locale, r.key, r.params);
}

/** A page that says only why something was refused: 403 for a non-admin, 404 for what is not in the workspace. */
export function refusalPage(c: AdminContext, r: Refusal) {
  const { locale } = c.get('user');
  const title = r.status === 403 ? 'web_admin_forbidden_title' : r.status === 404 ? 'web_admin_not_found_title' : 'web_admin_error_title';
  const message = r.key === 'admin_only' ? t(locale, 'web_admin_forbidden') : sentence(locale, r);
  return shownRefusal(
    c,
    { status: pageStatusOf(r.status), message },
    { title: t(locale, title), back: r.status === 403 ? undefined : '/admin', backLabel: t(locale, 'web_admin_back_team') },
  );
}

/** The page's member when they are an admin; a rep or a manager is refused before anything is read. */
export function requireAdmin(c: AdminContext): WebUser {
  const user = c.get('user');
  if (user.role !== 'admin') throw new Refusal(403, 'admin_only');
  return user;
}

/**
 * Runs a page's handler, turning a refusal (a non-admin, a DbError from the
 * SQL, a form that does not pass its schema) into its page and status.
 */
export function adminPage(handler: (c: AdminContext, user: WebUser) => Promise<Response> | Response) {
  return async (c: AdminContext) => {
    try {
      return await handler(c, requireAdmin(c));
    } catch (e) {
      return refusalPage(c, refusalOf(e));
    }
  };
}

/**
 * A form's fields through the JSON API's schema for the same call; a field
 * that fails is named by its label in the member's language.
 *   checked(MemberCreate, { email: 'x' }, locale, { email: 'web_admin_col_email' }) throws Refusal(400, 'invalid_request', { fields: 'Email' })
 */
export function checked<S extends z.ZodType>(schema: S, data: unknown, locale: Locale, labels: Record<string, MessageKey>): z.infer<S> {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const fields = [...new Set(parsed.error.issues.map((i) => String(i.path[0] ?? '')))].map((f) => (labels[f] ? t(locale, labels[f]) : f || '-')).join(', ');
  throw new Refusal(400, 'invalid_request', { fields });
}

/** A text field of a posted form ('' when absent or a file). */
export function field(form: Record<string, string | File>, name: string): string {
  const v = form[name];
  return typeof v === 'string' ? v : '';
}

/** The admin pages' own navigation, the current one marked. */
export function AdminNav(props: { locale: Locale; current: 'team' | 'connections' | 'import' }) {
  const items = [
    ['team', '/admin', 'web_admin_nav_team'],
    ['connections', '/admin/connections', 'web_admin_nav_connections'],
    ['import', '/admin/import', 'web_admin_nav_import'],
  ] as const;
  return (
    <nav class="admin-nav" aria-label={t(props.locale, 'web_admin_nav_label')}>
      <ul>
        {items.map(([id, href, key]) => (
          <li>
            <a href={href} aria-current={id === props.current ? 'page' : undefined}>
              {t(props.locale, key)}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** A line saying what was just done, or why a form was refused. */
export function Notice(props: { ok?: string | undefined; error?: string | undefined }): Child {
  if (props.error)
    return (
      <p class="notice error" role="alert">
        {props.error}
      </p>
    );
  if (props.ok)
    return (
      <p class="notice ok" role="status">
        {props.ok}
      </p>
    );
  return null;
}

/** The label of a language in the reader's own. */
export function languageName(locale: Locale, code: string): string {
  return code === 'ja' || code === 'zh' || code === 'en' ? t(locale, `web_admin_lang_${code}`) : code;
}
