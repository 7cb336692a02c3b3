/** @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import { t } from '../i18n/messages.js';
import { requireSession } from './guard.js';
import { page } from './layout.js';
import type { WebEnv } from './session.js';

/** `/`: search across contacts and companies, and my follow-ups. */
export const homeRoutes = new Hono<WebEnv>().get('/', requireSession, (c) => {
  const { locale, name } = c.get('user');
  return page(c, { title: t(locale, 'web_nav_home'), body: <h1>{name}</h1> });
});
