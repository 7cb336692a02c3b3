import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACTIONS, VIEWS } from '../../slack-app/ids.js';
import { DEAL_INPUTS } from '../../slack-app/deals/modals.js';
import { openTestDb, type TestDb } from '../support/databases.js';
import { makeWorkspace, type TestWorkspace } from '../support/fixtures.js';
import { setupNetwork } from '../support/network.js';
import { buttonPress, fakeSlack, slackRapport, TEAM } from '../support/slack.js';

type Input = { block: string; action: string };
type Values = Record<string, Record<string, Record<string, unknown>>>;
const v = (id: Input, value: Record<string, unknown>): Values => ({ [id.block]: { [id.action]: value } });
const text = (id: Input, value: string | null) => v(id, { type: 'plain_text_input', value });
const pick = (id: Input, value: string) => v(id, { type: 'static_select', selected_option: { text: { type: 'plain_text', text: value }, value } });
const picks = (id: Input, values: string[]) =>
  v(id, { type: 'multi_external_select', selected_options: values.map((x) => ({ text: { type: 'plain_text', text: x }, value: x })) });
const date = (id: Input, d: string | null) => v(id, { type: 'datepicker', selected_date: d });
const user = (id: Input, u: string | null) => v(id, { type: 'users_select', selected_user: u });

function submission(userId: string, view: { callback_id: string; private_metadata: string }, ...values: Values[]) {
  return {
    type: 'view_submission',
    team: { id: TEAM, domain: 'test' },
    user: { id: userId, name: 'someone', team_id: TEAM },
    api_app_id: 'A0APP',
    token: 'deprecated',
    trigger_id: '123.456.def',
    view: { id: 'V0DEAL', team_id: TEAM, type: 'modal', ...view, state: { values: Object.assign({}, ...values) } },
  };
}

/**
 * Deals in Slack through the signed endpoint: /crm deal and the contact
 * card's New deal open the modal and its submission creates the deal; /crm
 * deals lists my open deals by stage; Move stage and Mark won / lost change
 * them; a wrong amount or a loss without a reason stays on its field.
 */
describe('deals in Slack', () => {
  let t: TestDb;
  let ws: TestWorkspace;
  const slack = fakeSlack();
  let network: ReturnType<typeof setupNetwork>;
  let rapport: ReturnType<typeof slackRapport>;
  let rep: string;
  let janeId: string;
  let acmeId: string;
  const one = async <R = any>(sql: string, params: unknown[] = []) => (await t.sql.query<R>(sql, params))[0]!;
  const opened = () => {
    const views = slack.calls.filter((c) => c.method === 'views.open');
    expect(views, JSON.stringify(slack.responses)).toHaveLength(1);
    return views[0]!.args.view as { callback_id: string; private_metadata: string; title: { text: string }; blocks: any[] };
  };
  const inputOf = (view: { blocks: any[] }, id: Input) => view.blocks.find((b) => b.block_id === id.block)?.element;
  const told = () => slack.calls.filter((c) => c.method === 'chat.postEphemeral' || c.method === 'chat.postMessage').map((c) => String(c.args.text));
  const api = async (path: string, init: { method?: string; body?: unknown } = {}) =>
    (
      await rapport.app.request(path, {
        method: init.method ?? 'GET',
        headers: { authorization: `Bearer ${ws.rep.token}`, 'content-type': 'application/json' },
        ...(init.body ? { body: JSON.stringify(init.body) } : {}),
      })
    ).json() as Promise<any>;

  beforeAll(async () => {
    t = await openTestDb('pglite');
    network = setupNetwork(...slack.handlers);
    ws = await makeWorkspace(t.sql, t.db);
    rapport = slackRapport(t);
    rep = (await one<{ s: string }>(`select slack_user_id s from crm.members where id = $1`, [ws.rep.id])).s;
    const jane = await api('/api/contacts', {
      method: 'POST',
      body: { name: 'Jane Deal', emails: ['jane@acme-deals.example'], company: { name: 'Acme Deals' } },
    });
    janeId = jane.id;
    acmeId = jane.company.id;
  });
  beforeEach(() => {
    slack.calls.length = 0;
    slack.responses.length = 0;
    expect(rapport.errors).toEqual([]);
  });
  afterAll(async () => {
    network.close();
    await t.close();
    expect(rapport.errors).toEqual([]);
  });

  it('/crm deal opens New deal; its contacts are found as typed; the submission creates the deal and says so', async () => {
    await rapport.command(rep, 'deal');
    const view = opened();
    expect(view.callback_id).toBe(VIEWS.dealNew);
    expect(inputOf(view, DEAL_INPUTS.stage).options.map((o: any) => o.value)).toEqual(['qualified', 'meeting', 'proposal', 'negotiation', 'commit']);
    expect(
      inputOf(view, DEAL_INPUTS.currency)
        .options.slice(0, 3)
        .map((o: any) => o.value),
    ).toEqual(['USD', 'JPY', 'CNY']);
    expect(inputOf(view, DEAL_INPUTS.currency).initial_option.value).toBe('USD');
    expect(inputOf(view, DEAL_INPUTS.owner).initial_user).toBe(rep);

    const found = await rapport.interaction({
      type: 'block_suggestion',
      action_id: DEAL_INPUTS.contacts.action,
      block_id: DEAL_INPUTS.contacts.block,
      value: 'jane',
      team: { id: TEAM, domain: 'test' },
      user: { id: rep, team_id: TEAM },
      api_app_id: 'A0APP',
      token: 'x',
      view: { id: 'V0DEAL', type: 'modal', callback_id: VIEWS.dealNew, private_metadata: view.private_metadata },
    });
    expect(found.json().options).toEqual([expect.objectContaining({ value: janeId, text: expect.objectContaining({ text: 'Jane Deal · Acme Deals' }) })]);

    const bad = await rapport.interaction(
      submission(rep, view, text(DEAL_INPUTS.name, 'Bad amount'), text(DEAL_INPUTS.amount, '12.345'), pick(DEAL_INPUTS.currency, 'USD')),
    );
    expect(bad.json()).toEqual({ response_action: 'errors', errors: { [DEAL_INPUTS.amount.block]: expect.stringContaining('1,200.50') } });

    const res = await rapport.interaction(
      submission(
        rep,
        view,
        text(DEAL_INPUTS.name, 'Acme expansion'),
        text(DEAL_INPUTS.company, 'Acme Deals'),
        picks(DEAL_INPUTS.contacts, [janeId]),
        text(DEAL_INPUTS.amount, '1,200.50'),
        pick(DEAL_INPUTS.currency, 'USD'),
        pick(DEAL_INPUTS.stage, 'proposal'),
        date(DEAL_INPUTS.closeDate, '2026-12-20'),
        user(DEAL_INPUTS.owner, rep),
      ),
    );
    expect(res.text).toBe('');
    const deal = await one(`select * from crm.deals where workspace_id = $1 and name = 'Acme expansion'`, [ws.id]);
    expect(deal).toMatchObject({ stage: 'proposal', currency: 'USD', company_id: acmeId, owner_id: ws.rep.id, source: 'slack' });
    expect(Number(deal.amount)).toBe(120050);
    expect((await one(`select contact_id from crm.deal_contacts where deal_id = $1`, [deal.id])).contact_id).toBe(janeId);
    expect(told()).toContain('Deal “Acme expansion” created at Proposal sent.');
  });

  it('the contact card’s New deal opens the modal prefilled with the person and their company', async () => {
    await rapport.command(rep, 'Jane Deal');
    const card = slack.responses.at(-1)!;
    const button = card.blocks.flatMap((b: any) => b.elements ?? []).find((e: any) => e.action_id === ACTIONS.dealNew);
    expect(JSON.parse(button.value)).toEqual({ contactId: janeId, companyId: acmeId });
    slack.calls.length = 0;
    await rapport.interaction(buttonPress(rep, ACTIONS.dealNew, button.value));
    const view = opened();
    expect(inputOf(view, DEAL_INPUTS.contacts).initial_options).toEqual([expect.objectContaining({ value: janeId })]);
    expect(inputOf(view, DEAL_INPUTS.company).initial_value).toBe('Acme Deals');
    await rapport.interaction(
      submission(rep, view, text(DEAL_INPUTS.name, 'From the card'), text(DEAL_INPUTS.company, 'Acme Deals'), picks(DEAL_INPUTS.contacts, [janeId])),
    );
    const deal = await one(`select company_id, stage, amount from crm.deals where workspace_id = $1 and name = 'From the card'`, [ws.id]);
    expect(deal).toEqual({ company_id: acmeId, stage: 'qualified', amount: null });

    // an account card's button names the company only: the deal still gets it
    slack.calls.length = 0;
    await rapport.interaction(buttonPress(rep, ACTIONS.dealNew, JSON.stringify({ companyId: acmeId })));
    const fromAccount = opened();
    // the account's name prefills the field, and sent back as shown it names that account
    expect(inputOf(fromAccount, DEAL_INPUTS.company).initial_value).toBe('Acme Deals');
    await rapport.interaction(submission(rep, fromAccount, text(DEAL_INPUTS.name, 'From the account'), text(DEAL_INPUTS.company, 'Acme Deals')));
    expect((await one(`select company_id from crm.deals where workspace_id = $1 and name = 'From the account'`, [ws.id])).company_id).toBe(acmeId);
  });

  it('/crm deals lists my open deals by stage with their totals; Move stage moves one', async () => {
    await api('/api/deals', { method: 'POST', body: { name: 'Yen deal', amount: 500000, currency: 'JPY', stage: 'proposal' } });
    await rapport.command(rep, 'deals');
    const list = slack.responses.at(-1)!;
    const texts = list.blocks.map((b: any) => b.text?.text ?? b.elements?.map((e: any) => e.text?.text ?? e.text).join(' ') ?? '').join('\n');
    expect(texts).toContain('Your open deals: 4');
    expect(texts).toMatch(/\*Qualified\* · 2 · no amount/);
    expect(texts).toMatch(/\*Proposal sent\* · 2 · ¥500,000 \+ \$1,200\.50/);
    expect(texts).toContain('*Acme expansion* · Acme Deals · $1,200.50 · closing Dec 20, 2026');
    expect(texts.indexOf('Qualified')).toBeLessThan(texts.indexOf('Proposal sent'));
    const yen = await one(`select id from crm.deals where name = 'Yen deal'`);
    const move = list.blocks.find((b: any) => b.block_id === `deal_actions:${yen.id}`).elements.find((e: any) => e.action_id === ACTIONS.dealMoveStage);
    slack.calls.length = 0;
    await rapport.interaction(buttonPress(rep, ACTIONS.dealMoveStage, move.value));
    const view = opened();
    expect(view.callback_id).toBe(VIEWS.dealMoveStage);
    expect(inputOf(view, DEAL_INPUTS.stage).initial_option.value).toBe('proposal');
    await rapport.interaction(submission(rep, view, pick(DEAL_INPUTS.stage, 'negotiation')));
    expect((await one(`select stage from crm.deals where id = $1`, [yen.id])).stage).toBe('negotiation');
    expect(told()).toContain('“Yen deal” moved to Negotiation.');
  });

  it('Mark lost asks why; Mark won with a reason closes the deal and makes its people customers', async () => {
    const deal = await api('/api/deals', { method: 'POST', body: { name: 'To close', companyId: acmeId } });
    await rapport.interaction(buttonPress(rep, ACTIONS.dealMarkLost, deal.id));
    const lost = opened();
    expect(lost.callback_id).toBe(VIEWS.dealClose);
    expect(lost.title.text).toBe('Mark lost');
    const noReason = await rapport.interaction(submission(rep, lost, text(DEAL_INPUTS.reason, '')));
    expect(noReason.json()).toEqual({ response_action: 'errors', errors: { [DEAL_INPUTS.reason.block]: expect.stringContaining('why') } });
    slack.calls.length = 0;
    await rapport.interaction(buttonPress(rep, ACTIONS.dealMarkWon, deal.id));
    const won = opened();
    await rapport.interaction(submission(rep, won, text(DEAL_INPUTS.reason, 'Best support in Japanese')));
    expect(await one(`select status, close_reason from crm.deals where id = $1`, [deal.id])).toEqual({
      status: 'won',
      close_reason: 'Best support in Japanese',
    });
    expect((await one(`select stage from crm.contacts where id = $1`, [janeId])).stage).toBe('customer');
    expect(told()).toContain('“To close” marked won. Its people are customers now.');
    // a button naming no deal is answered privately
    slack.responses.length = 0;
    await rapport.interaction(buttonPress(rep, ACTIONS.dealMoveStage, 'not-a-deal'));
    expect(slack.responses.at(-1)).toMatchObject({ response_type: 'ephemeral' });
  });
});
