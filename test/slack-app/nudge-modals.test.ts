import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nudgeBlocks, type NudgeData } from '../../slack-app/briefs/nudge.js';
import { ACTIONS, INPUTS } from '../../slack-app/ids.js';
import { openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';
import { setupNetwork } from '../support/network.js';
import { buttonPress, fakeSlack, slackRapport, viewSubmission } from '../support/slack.js';

/**
 * The nudge after a meeting (issue 17): its Add note and Add follow-up open
 * the card's modals prefilled with the meeting (its title in the note, and
 * the follow-up recorded as coming from the meeting), through the signed
 * HTTP endpoint as Slack would press them.
 */
describe('the nudge’s buttons open the modals prefilled with the meeting', () => {
  let t: TestDb;
  let ws: TestWorkspace;
  const slack = fakeSlack();
  let network: ReturnType<typeof setupNetwork>;
  let rapport: ReturnType<typeof slackRapport>;
  let rep: string;
  let kim: string;
  let meeting: string;
  const start = '2026-11-20T01:00:00.000Z';
  const api = async (method: string, path: string, body?: unknown) =>
    (
      await rapport.app.request(path, {
        method,
        headers: { authorization: `Bearer ${ws.rep.token}`, 'content-type': 'application/json' },
        ...(body ? { body: JSON.stringify(body) } : {}),
      })
    ).json() as Promise<any>;

  async function open(actionId: string, value: string) {
    slack.calls.length = 0;
    await rapport.interaction(buttonPress(rep, actionId, value, 'D0REP'));
    const opened = slack.calls.filter((c) => c.method === 'views.open');
    expect(opened, JSON.stringify(slack.responses)).toHaveLength(1);
    return opened[0]!.args.view as { id?: string; callback_id: string; private_metadata: string; blocks: any[] };
  }
  const note = (view: { blocks: any[] }) => view.blocks.find((b) => b.block_id === INPUTS.note.block)?.element;

  beforeAll(async () => {
    t = await openTestDb('pglite');
    network = setupNetwork(...slack.handlers);
    ws = await makeWorkspace(t.sql, t.db);
    rapport = slackRapport(t, { now: () => new Date('2026-11-20T03:00:00Z') });
    rep = (await t.sql.query<{ s: string }>(`select slack_user_id s from crm.members where id = $1`, [ws.rep.id]))[0]!.s;
    kim = (await api('POST', '/api/contacts', { name: 'Kim Customer', emails: ['kim@customer.test'] })).id;
    const captured = await api('POST', '/api/interactions', {
      kind: 'meeting',
      source: 'api',
      externalId: 'renewal-ical@google.com',
      occurredAt: start,
      subject: 'Renewal review',
      participants: [{ role: 'to', email: 'kim@customer.test' }],
    });
    expect(captured.id, JSON.stringify(captured)).toBeTruthy();
    meeting = captured.id;
  });
  afterAll(async () => {
    network?.close();
    await t?.close();
  });

  it('the nudge names the captured meeting in its buttons', () => {
    const meetingOf = { start, title: 'Renewal review', interactionId: meeting } as unknown as NudgeData['meeting'];
    const { blocks } = nudgeBlocks({ meeting: meetingOf, contacts: [{ id: kim, name: 'Kim Customer' }] }, { locale: 'en', timeZone: 'UTC' });
    const values = blocks
      .flatMap((b: any) => b.elements ?? [])
      .map((e: any) => e.value)
      .filter(Boolean);
    expect(values).toEqual([`${kim}|${start}|${meeting}`, `${kim}|${start}|${meeting}`, `${kim}|${start}|${meeting}`]);
  });

  it('Add note starts with the meeting', async () => {
    const view = await open(ACTIONS.addNote, `${kim}|${start}|${meeting}`);
    expect(note(view).initial_value).toBe('After “Renewal review”: ');
    // from the contact card (no meeting) it opens empty, as before
    expect(note(await open(ACTIONS.addNote, kim)).initial_value).toBeUndefined();
  });

  it('Add follow-up says which meeting, and the follow-up it saves comes from it', async () => {
    const view = await open(ACTIONS.addFollowUp, `${kim}|${start}|${meeting}`);
    expect(note(view).initial_value).toBe('Follow up on “Renewal review”');
    const res = await rapport.interaction(
      viewSubmission(
        rep,
        { id: 'V0NUDGEFU', callback_id: view.callback_id, private_metadata: view.private_metadata },
        { [INPUTS.dueDate.block]: { [INPUTS.dueDate.action]: { type: 'datepicker', selected_date: '2026-11-24' } } },
        { [INPUTS.dueTime.block]: { [INPUTS.dueTime.action]: { type: 'timepicker', selected_time: '09:00' } } },
        { [INPUTS.note.block]: { [INPUTS.note.action]: { type: 'plain_text_input', value: 'Follow up on “Renewal review”' } } },
      ),
    );
    expect(res.status).toBe(200);
    const rows = await t.sql.query<{ source_interaction_id: string; note: string }>(
      `select source_interaction_id::text, note from crm.follow_ups where contact_id = $1`,
      [kim],
    );
    expect(rows).toEqual([{ source_interaction_id: meeting, note: 'Follow up on “Renewal review”' }]);
  });

  it('opens empty when the meeting named cannot be read, rather than not at all', async () => {
    const view = await open(ACTIONS.addNote, `${kim}|${start}|00000000-0000-4000-8000-000000000000`);
    expect(note(view).initial_value).toBeUndefined();
  });
});
