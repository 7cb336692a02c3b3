import { Hono } from 'hono';
import { localeOf } from '../errors.js';
import { call, validate } from '../http.js';
import { t, type Locale, type MessageKey } from '../i18n/messages.js';
import type { AppEnv } from '../types.js';
import {
  SegmentCreate,
  SegmentIdParam,
  StatsQuery,
  TidyFixBody,
  TidyQuery,
  type Segment,
  type SegmentDeleted,
  type SegmentList,
  type Stats,
  type StatsRaw,
  type Tidy,
  type TidyFixResult,
  type TidyRaw,
} from './schemas.js';

/** /api/segments: saved filters shared by the workspace; ?segment= on GET /api/contacts applies one. */
export const segmentRoutes = new Hono<AppEnv>()
  .get('/', async (c) => c.json(await call<SegmentList>(c, 'segments_list', {})))
  .post('/', validate('json', SegmentCreate), async (c) => c.json(await call<Segment>(c, 'segment_create', c.req.valid('json')), 201))
  .delete('/:id', validate('param', SegmentIdParam), async (c) => c.json(await call<SegmentDeleted>(c, 'segment_delete', c.req.valid('param'))));

/** GET /api/stats: the caller's numbers (own, team or workspace), labelled in their language. */
export const statsRoutes = new Hono<AppEnv>().get('/', validate('query', StatsQuery), async (c) => {
  const raw = await call<StatsRaw>(c, 'stats', c.req.valid('query'));
  return c.json(labelStats(raw, localeOf(c)));
});

/** GET /api/tidy (incomplete records) and POST /api/tidy/fix. */
export const tidyRoutes = new Hono<AppEnv>()
  .get('/', validate('query', TidyQuery), async (c) => {
    const raw = await call<TidyRaw>(c, 'tidy', c.req.valid('query'));
    return c.json(labelTidy(raw, localeOf(c)));
  })
  .post('/fix', validate('json', TidyFixBody), async (c) => c.json(await call<TidyFixResult>(c, 'tidy_fix', c.req.valid('json'))));

const stageLabel = (locale: Locale, stage: string | null) =>
  stage === 'lead' || stage === 'prospect' || stage === 'customer' || stage === 'churned' ? t(locale, `stage_${stage}`) : (stage ?? '—');

/** The SQL's codes with the reader's words beside them. */
export function labelStats(raw: StatsRaw, locale: Locale): Stats {
  return {
    ...raw,
    periodLabel: t(locale, raw.period === 'month' ? 'stats_period_month' : 'stats_period_week'),
    contacts: {
      ...raw.contacts,
      byStage: raw.contacts.byStage.map((s) => ({ ...s, label: stageLabel(locale, s.stage) })),
      byTimezone: raw.contacts.byTimezone.map((z) => ({ ...z, label: z.timezone ?? t(locale, 'timezone_unset') })),
    },
    stageMoves: raw.stageMoves.map((m) => ({ ...m, label: `${stageLabel(locale, m.from)} → ${stageLabel(locale, m.to)}` })),
    kindLabels: Object.fromEntries((['email', 'slack', 'call', 'meeting', 'note'] as const).map((k) => [k, t(locale, `kind_${k}`)])),
  };
}

const PROBLEM_KEYS: Record<string, MessageKey> = {
  no_company: 'tidy_no_company',
  no_owner: 'tidy_no_owner',
  no_recent_interaction: 'tidy_no_recent_interaction',
};

export function labelTidy(raw: TidyRaw, locale: Locale): Tidy {
  return {
    ...raw,
    items: raw.items.map((item) => ({
      ...item,
      problems: item.problems.map((code) => ({ code, label: t(locale, PROBLEM_KEYS[code]!) })),
      fixes: item.fixes.map((f) => ({
        ...f,
        label: f.fix === 'owner_me' ? t(locale, 'tidy_fix_owner_me') : t(locale, 'tidy_fix_company', { company: f.company, domain: f.domain }),
      })),
    })),
  };
}
