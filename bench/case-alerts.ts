/**
 * The alert cases (issue 19), against the server's own alert scheduler (the
 * real runAlertStep on its 1 s tick) posting to the loopback Slack stand-in,
 * which holds chat.postMessage to Slack's published limit (one a second per
 * channel, short bursts; 429 with Retry-After beyond: bench/server.ts).
 *
 * alerts-burst: 10,000 alerts fall due at once for 1,000 members, written
 * into the outbox with SQL as the capture trigger writes them: each an inbound
 * email of its own thread waiting for a reply (with its interaction and
 * contact, so that the relevance check at due time finds the cause), the
 * first of its thread, so none waits for its stream's window (a member's ten,
 * due together, go as one DM); timed from their commit to the last one
 * recorded sent. Every message must reach the stand-in exactly once: the
 * stand-in's posts by metadata key are counted against the deliveries.
 *
 * alert-latency: with the workspace's reply window at 0, an inbound email
 * from a customer of the measured rep captured through POST /api/interactions,
 * timed from the request to the rep's DM reaching the stand-in (the capture
 * trigger writes the alert, the scheduler folds, claims and posts it).
 */
import { type BenchCase, check, expectStatus, post } from './case-kit.js';

export const BURST_ALERTS = 10_000;
const BURST_MEMBERS = 1_000;
const LATENCY_SAMPLES = 40;

// $1 the run's tag, $2 alerts per member, $3 the members, $4 the alerts' status
const INSERT_SQL = `
  with c as (
    insert into crm.contacts (workspace_id, name, stage)
    select distinct m.workspace_id, 'Burst customer', 'customer' from crm.members m where m.id = any ($3::uuid[])
    returning id, workspace_id
  ), i as (
    insert into crm.interactions (workspace_id, kind, direction, occurred_at, subject, source, external_id, dedupe_key, thread_key)
    select m.workspace_id, 'email', 'inbound', now(), 'Burst ' || r.n, 'api',
           $1 || ':' || m.id || ':' || r.n, $1 || ':' || m.id || ':' || r.n, m.id || '/' || r.n || '/' || $1
    from crm.members m cross join generate_series(1, $2::int) as r(n)
    where m.id = any ($3::uuid[])
    returning id, workspace_id, external_id, thread_key
  )
  insert into crm.alerts (workspace_id, kind, member_id, stream, immediate, dedupe_key, due_at, contact_id, interaction_id, thread_key, detail, status)
  select i.workspace_id, 'waiting_reply', split_part(i.thread_key, '/', 1)::uuid, 'dm:' || split_part(i.thread_key, '/', 1) || ':waiting_reply', true,
         i.external_id, now() - (random() * interval '59 seconds'), c.id, i.id, i.thread_key,
         jsonb_build_object('escalation', false, 'windowMinutes', 0), $4
  from i join c on c.workspace_id = i.workspace_id`;

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
    // 10,000 alerts over however many members the scale loaded
    const perMember = Math.max(1, Math.round(BURST_ALERTS / members.length));
    const total = members.length * perMember;
    const tag = `bench-burst-${ctx.runId}`;
    const done = { wallMs: 0, sent: 0, failed: 0, limitedBefore: 0, postsBefore: 0 };
    return {
      note: `${total.toLocaleString('en')} alerts for ${members.length.toLocaleString('en')} members (${perMember} each, each the first of its thread), due at once`,
      explainTarget: () => ({ fn: 'alerts_claim', args: { workerId: 'explain' }, baselineSql: 'select 1', baselineParams: [] }),
      async http() {
        done.limitedBefore = posts.limited;
        done.postsBefore = posts.posts;
        await ctx.admin(
          `insert into crm.alert_streams (workspace_id, stream) select workspace_id, 'dm:' || id || ':waiting_reply' from crm.members
                         where id = any ($1::uuid[]) on conflict do nothing`,
          [members],
        );
        const began = performance.now();
        await ctx.admin(INSERT_SQL, [tag, perMember, members, 'pending']);
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
        await ctx.baseline(INSERT_SQL, [`${tag}-baseline`, perMember, members, 'skipped']);
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
  target: (r) => ({
    met: r.http.errors === 0 && r.http.p95 <= 5_000,
    text: 'p95 <= 5 s from capturing an inbound email (reply window 0) to its DM at the Slack stand-in',
  }),
  async prepare(ctx) {
    check(ctx.slackPosts, 'the alert-latency case needs the server with its Slack stand-in');
    const posts = ctx.slackPosts;
    const ws = ctx.ws.workspaceId;
    const [rep] = await ctx.admin<{ slack: string }>(`select slack_user_id as slack from crm.members where id = $1`, [ctx.ws.repId]);
    check(rep?.slack, 'the measured rep has a Slack user');
    // the reply window at 0 and the rep at work around the clock, for this case only
    const [before] = await ctx.admin<{ mins: number }>(`select alert_reply_minutes as mins from crm.workspaces where id = $1`, [ws]);
    const [hours] = await ctx.admin<{ s: string | null; e: string | null; d: number[] | null }>(
      `select work_start::text as s, work_end::text as e, work_days as d from crm.members where id = $1`,
      [ctx.ws.repId],
    );
    await ctx.admin(`update crm.workspaces set alert_reply_minutes = 0 where id = $1`, [ws]);
    await ctx.admin(`update crm.members set work_start = '00:00', work_end = '24:00', work_days = '{1,2,3,4,5,6,7}' where id = $1`, [ctx.ws.repId]);
    const [customer] = await ctx.admin<{ id: string }>(
      `insert into crm.contacts (workspace_id, name, stage, owner_id) values ($1, 'Latency customer', 'customer', $2) returning id::text`,
      [ws, ctx.ws.repId],
    );
    let k = 0;
    return {
      note: `${LATENCY_SAMPLES} inbound emails from a customer of the measured rep, one at a time, each a new thread`,
      explainTarget: () => ({ fn: 'alerts_claim', args: { workerId: 'explain' }, baselineSql: 'select 1', baselineParams: [] }),
      async http() {
        k += 1;
        const externalId = `<bench-latency-${ctx.runId}-${k}@customer.bench>`;
        const began = performance.now();
        expectStatus(
          await post(ctx, '/api/interactions', {
            kind: 'email',
            direction: 'inbound',
            occurredAt: new Date().toISOString(),
            subject: `Question ${k}`,
            source: 'api',
            externalId,
            threadKey: externalId,
            participants: [{ role: 'from', contactId: customer!.id }],
          }),
          200,
          201,
        );
        for (;;) {
          const [d] = await ctx.admin<{ delivery: string | null }>(
            `select a.delivery_id::text as delivery from crm.alerts a join crm.interactions i on i.workspace_id = a.workspace_id and i.id = a.interaction_id
              where i.workspace_id = $1 and i.external_id = $2 and a.member_id = $3 and a.kind = 'waiting_reply'`,
            [ws, externalId, ctx.ws.repId],
          );
          const seen = d?.delivery ? posts.alertAt.get(d.delivery) : undefined;
          if (seen) return seen.at - began;
          check(performance.now() - began < 30_000, 'no DM in 30 s');
          await sleep(20);
        }
      },
      async baseline() {
        await ctx.baseline('select 1');
      },
      async verify(sent) {
        // the workspace's window and the rep's hours as they were, for the cases after this one
        await ctx.admin(`update crm.workspaces set alert_reply_minutes = $2 where id = $1`, [ws, before!.mins]);
        await ctx.admin(`update crm.members set work_start = $2::time, work_end = $3::time, work_days = $4 where id = $1`, [
          ctx.ws.repId,
          hours!.s,
          hours!.e,
          hours!.d,
        ]);
        const [n] = await ctx.admin<{ n: string }>(
          `select count(*) as n from crm.alerts a join crm.interactions i on i.workspace_id = a.workspace_id and i.id = a.interaction_id
            where i.workspace_id = $1 and i.external_id like $2 and a.member_id = $3 and a.kind = 'waiting_reply' and a.status = 'sent'`,
          [ws, `<bench-latency-${ctx.runId}-%`, ctx.ws.repId],
        );
        const dms = Number(n!.n);
        // every email captured (the warm-up's too) reached its owner once
        return {
          ok: dms === k,
          line: `alert-latency: ${k} emails captured (${sent.http} measured), ${dms} waiting-for-reply DMs to their owner`,
          details: { emails: k, measured: sent.http, dms },
        };
      },
    };
  },
};
