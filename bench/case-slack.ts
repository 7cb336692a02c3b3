/**
 * The Slack slash command case: a signed `/crm <query>` from a member of the
 * measured workspace, POSTed to /slack/events as Slack sends it, timed until
 * the HTTP answer (the ack Slack waits up to 3 s for). Rapport acks before it
 * touches the backend; the search and the answer to response_url (the loopback
 * Slack stand-in) follow. Each of the 50 clients waits for that answer before
 * its next command, so 50 in flight means 50 whole commands (acks and searches
 * competing for the same two cores), and an answer that is an error, or none
 * within 30 s, fails the command. The baseline is that search in plain SQL: the
 * data each command goes on to fetch.
 */
import { signSlackRequest } from '../slack-app/signature.js';
import { type BenchCase, check, request, sampleSize } from './case-kit.js';
import { percentile } from './measure.js';
import { BLOCKS } from '../slack-app/ids.js';
import { BENCH_SIGNING_SECRET, BENCH_SLACK_TEAM } from './server.js';

const SEARCH_SQL = `
  select * from crm.contacts
  where workspace_id = $1 and name_key like '%' || $2 || '%'
  order by name_key, id limit 25`;

export const slackCommand: BenchCase = {
  name: 'slack-command',
  warmup: 100,
  concurrency: 50,
  target: (r) => ({ met: r.http.p99 <= 100 && r.http.errors === 0, text: 'ack p99 <= 100 ms, every command answered' }),
  async prepare(ctx) {
    const [rep] = await ctx.admin<{ slack_user_id: string }>(`select slack_user_id from crm.members where id = $1`, [ctx.ws.repId]);
    check(rep?.slack_user_id, 'the measured rep has no Slack id');
    check(ctx.slackStandIn && ctx.slackAnswers, 'the slack case needs the server with its Slack stand-in');
    const answers = ctx.slackAnswers;
    /** command sent -> its answer posted to response_url, ms */
    const answerMs: number[] = [];
    const names = await ctx.admin<{ q: string }>(
      `select split_part(name, ' ', 2) as q from crm.contacts where workspace_id = $1 and name ~ '^[A-Za-z]+ [A-Za-z]+$'
        order by random() limit $2`,
      [ctx.ws.workspaceId, sampleSize(ctx.n)],
    );
    const queries = names.map((r) => r.q.toLowerCase());
    return {
      note: `/crm <surname> from ${rep.slack_user_id}, signed, to /slack/events (e.g. ${queries.slice(0, 3).join(', ')})`,
      explainTarget: () => ({
        fn: 'contacts_list',
        args: { q: queries[0]! },
        baselineSql: SEARCH_SQL,
        baselineParams: [ctx.ws.workspaceId, queries[0]!],
      }),
      async http(i) {
        const form = new URLSearchParams({
          token: 'unused',
          team_id: BENCH_SLACK_TEAM,
          team_domain: 'bench',
          channel_id: 'C0BENCH',
          channel_name: 'sales',
          user_id: rep.slack_user_id,
          user_name: 'rep1',
          command: '/crm',
          text: queries[i % queries.length]!,
          response_url: `${ctx.slackStandIn}/respond/${ctx.runId}/${i}`,
          trigger_id: `${i}.bench`,
        }).toString();
        const t0 = performance.now();
        const res = await request(`${ctx.base}/slack/events`, {
          method: 'POST',
          body: form,
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            ...signSlackRequest(BENCH_SIGNING_SECRET, form, Math.floor(Date.now() / 1000)),
          },
        });
        const ackMs = performance.now() - t0;
        check(res.status === 200, `slash command answered ${res.status}`);
        const answer = JSON.parse(await answers.wait(`${ctx.runId}/${i}`)) as { blocks?: { block_id?: string }[]; text?: string };
        answerMs.push(performance.now() - t0);
        check(!answer.blocks?.some((b) => b.block_id === BLOCKS.error), `the answer to /crm was an error: ${answer.text}`);
        return ackMs;
      },
      async baseline(i) {
        await ctx.baseline(SEARCH_SQL, [ctx.ws.workspaceId, queries[i % queries.length]!]);
      },
      async verify() {
        const sorted = [...answerMs].sort((a, b) => a - b);
        const ms = (p: number) => (sorted.length ? percentile(sorted, p).toFixed(0) : '-');
        return {
          ok: true,
          line: `${answerMs.length} answers posted to response_url (warm-up included), command to answer p50 ${ms(50)} / p95 ${ms(95)} / p99 ${ms(99)} ms`,
          details: { answers: answerMs.length, answerP50: Number(ms(50)), answerP95: Number(ms(95)), answerP99: Number(ms(99)) },
        };
      },
    };
  },
};
