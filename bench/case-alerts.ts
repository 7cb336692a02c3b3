/**
 * The alert cases (issue 19), against the server's own alert scheduler (the
 * real runAlertStep on its 1 s tick) posting to the loopback Slack stand-in,
 * which holds chat.postMessage to Slack's published limit (one a second per
 * channel, short bursts; 429 with Retry-After beyond: bench/server.ts).
 *
 * alerts-burst: 10,000 alerts fall due at once for 1,000 members (written into
 * the outbox with SQL, as a producer's transaction writes them), ten kinds a
 * member, so ten DM streams each; timed from their commit to the last one
 * recorded sent. Every message must reach the stand-in exactly once: the
 * stand-in's posts by metadata key are counted against the deliveries.
 *
 * alert-latency: one alert at a time to the measured rep (immediate, as the
 * first waiting-for-reply alert of a thread is), timed from its commit to its
 * DM reaching the stand-in. (The producer's own hop, capture to outbox, is the
 * producers' part of issue 19 and not in this figure.)
 */
import { MESSAGE_ALERT_KINDS } from '../backend/alerts/kinds.js';
import { type BenchCase, check } from './case-kit.js';

export const BURST_ALERTS = 10_000;
const BURST_MEMBERS = 1_000;
const LATENCY_SAMPLES = 40;

const INSERT_SQL = `
  insert into crm.alerts (workspace_id, kind, member_id, stream, dedupe_key, due_at, detail, status)
  select m.workspace_id, k.kind, m.id, 'dm:' || m.id || ':' || k.kind, $1 || ':' || m.id || ':' || k.kind || ':' || r.n,
         now() - (random() * interval '59 seconds'), jsonb_build_object('reason', 'bench'), $5
  from crm.members m
  cross join unnest($2::text[]) as k(kind)
  cross join generate_series(1, $3::int) as r(n)
  where m.id = any ($4::uuid[])`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const alertsBurst: BenchCase = {
  name: 'alerts-burst',
  warmup: 0,
  requests: 1,
  concurrency: 1,
  maxSeconds: 600,
  target: (r) => ({
    met: r.http.errors === 0 && r.http.p50 > 0 && r.http.p50 <= 60_000 && r.verifyOk !== false,
    text: `${BURST_ALERTS.toLocaleString('en')} alerts due at once for ${BURST_MEMBERS.toLocaleString('en')} members all sent in <= 60 s, none twice, none lost`,
  }),
  async prepare(ctx) {
    check(ctx.slackPosts, 'the alerts-burst case needs the server with its Slack stand-in');
    const posts = ctx.slackPosts;
    const members = (
      await ctx.admin<{ id: string }>(`select id::text from crm.members where active and slack_user_id is not null order by id limit $1`, [BURST_MEMBERS])
    ).map((m) => m.id);
    check(members.length > 0, 'the loaded data has members with a Slack user');
    const kinds = [...MESSAGE_ALERT_KINDS];
    // 10,000 alerts over however many members the scale loaded: ten kinds each, the rest as repeats (folded together)
    const perStream = Math.max(1, Math.round(BURST_ALERTS / (members.length * kinds.length)));
    const total = members.length * kinds.length * perStream;
    const tag = `bench-burst-${ctx.runId}`;
    const done = { wallMs: 0, sent: 0, failed: 0, limitedBefore: 0, postsBefore: 0 };
    return {
      note: `${total.toLocaleString('en')} alerts for ${members.length.toLocaleString('en')} members (${kinds.length} kinds, ${perStream} each), due at once`,
      explainTarget: () => ({ fn: 'alerts_claim', args: { workerId: 'explain' }, baselineSql: 'select 1', baselineParams: [] }),
      async http() {
        done.limitedBefore = posts.limited;
        done.postsBefore = posts.posts;
        await ctx.admin(
          `insert into crm.alert_streams (workspace_id, stream) select workspace_id, 'dm:' || id || ':' || k from crm.members, unnest($1::text[]) k
                         where id = any ($2::uuid[]) on conflict do nothing`,
          [kinds, members],
        );
        const began = performance.now();
        await ctx.admin(INSERT_SQL, [tag, kinds, perStream, members, 'pending']);
        for (;;) {
          const [row] = await ctx.admin<{ sent: string; failed: string }>(
            `select count(*) filter (where status = 'sent') as sent, count(*) filter (where status in ('failed', 'skipped')) as failed
             from crm.alerts where dedupe_key like $1 || ':%'`,
            [tag],
          );
          done.sent = Number(row!.sent);
          done.failed = Number(row!.failed);
          if (done.sent + done.failed >= total) break;
          check(performance.now() - began < 590_000, `only ${done.sent} of ${total} sent in 590 s`);
          await sleep(100);
        }
        done.wallMs = Math.round(performance.now() - began);
        return done.wallMs;
      },
      async baseline() {
        // the outbox rows alone, written the same way (as skipped, so that nothing sends them), then removed
        await ctx.baseline(INSERT_SQL, [`${tag}-baseline`, kinds, perStream, members, 'skipped']);
        await ctx.baseline(`delete from crm.alerts where dedupe_key like $1 || ':%'`, [`${tag}-baseline`]);
      },
      async verify() {
        const deliveries = await ctx.admin<{ id: string; status: string }>(
          `select distinct d.id::text, d.status from crm.alert_deliveries d join crm.alerts a on a.delivery_id = d.id where a.dedupe_key like $1 || ':%'`,
          [tag],
        );
        const twice = deliveries.filter((d) => (posts.alerts.get(d.id) ?? 0) > 1).length;
        const lost = deliveries.filter((d) => (posts.alerts.get(d.id) ?? 0) === 0).length;
        const limited = posts.limited - done.limitedBefore;
        const posted = posts.posts - done.postsBefore;
        const ok = done.failed === 0 && twice === 0 && lost === 0 && done.sent === total && done.wallMs <= 60_000;
        return {
          ok,
          line:
            `alerts-burst: ${total.toLocaleString('en')} alerts in ${(done.wallMs / 1000).toFixed(1)} s = ${Math.round(total / (done.wallMs / 1000))}/s; ` +
            `${deliveries.length.toLocaleString('en')} messages, ${posted.toLocaleString('en')} posts, ${limited.toLocaleString('en')} answered 429, ` +
            `posted twice ${twice}, never posted ${lost}, alerts failed or skipped ${done.failed}`,
          details: {
            alerts: total,
            members: members.length,
            wallMs: done.wallMs,
            messages: deliveries.length,
            posts: posted,
            limited,
            twice,
            lost,
            failed: done.failed,
          },
        };
      },
    };
  },
};

export const alertLatency: BenchCase = {
  name: 'alert-latency',
  warmup: 2,
  requests: LATENCY_SAMPLES,
  concurrency: 1,
  maxSeconds: 300,
  target: (r) => ({ met: r.http.errors === 0 && r.http.p95 <= 5_000, text: 'p95 <= 5 s from the alert written to its DM at the Slack stand-in' }),
  async prepare(ctx) {
    check(ctx.slackPosts, 'the alert-latency case needs the server with its Slack stand-in');
    const posts = ctx.slackPosts;
    const [rep] = await ctx.admin<{ slack: string }>(`select slack_user_id as slack from crm.members where id = $1`, [ctx.ws.repId]);
    check(rep?.slack, 'the measured rep has a Slack user');
    let k = 0;
    return {
      note: `${LATENCY_SAMPLES} alerts to the measured rep one at a time, each the first of its thread (immediate)`,
      explainTarget: () => ({ fn: 'alerts_claim', args: { workerId: 'explain' }, baselineSql: 'select 1', baselineParams: [] }),
      async http() {
        k += 1;
        // each its own kind's stream is held 10 minutes after a DM; immediate goes through the hold, as a thread's first waiting alert does
        const began = performance.now();
        const [row] = await ctx.admin<{ id: string }>(
          `insert into crm.alerts (workspace_id, kind, member_id, stream, immediate, dedupe_key, due_at)
           values ($1, 'waiting_reply', $2::uuid, 'dm:' || $2::text || ':waiting_reply', true, $3, now()) returning id::text`,
          [ctx.ws.workspaceId, ctx.ws.repId, `bench-latency-${ctx.runId}-${k}`],
        );
        for (;;) {
          const [d] = await ctx.admin<{ delivery: string | null }>(`select delivery_id::text as delivery from crm.alerts where id = $1`, [row!.id]);
          const seen = d?.delivery ? posts.alertAt.get(d.delivery) : undefined;
          if (seen) return seen.at - began;
          check(performance.now() - began < 30_000, 'no DM in 30 s');
          await sleep(20);
        }
      },
      async baseline() {
        await ctx.baseline('select 1');
      },
    };
  },
};
