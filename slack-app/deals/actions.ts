import type { App, BlockButtonAction, ViewSubmitAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { Id } from '../../backend/schemas.js';
import { minorDigits, toMinor } from '../../backend/i18n/money.js';
import { BackendError, json } from '../backend-client.js';
import { errorBlocks } from '../contacts/contact-card.js';
import { openModal, reasonOf, said, submit, tellUser, type FieldErrors, type Meta } from '../contacts/modal-kit.js';
import { st } from '../i18n/index.js';
import { rapportOf, type RapportContext } from '../identity.js';
import { ACTIONS, VIEWS } from '../ids.js';
import { record, str } from '../limits.js';
import {
  DEAL_INPUTS,
  DEAL_INPUT_MAX,
  DEFAULT_CURRENCY,
  dealCloseModal,
  dealMoveStageModal,
  dealNewModal,
  decodeDealMeta,
  encodeDealMeta,
  type DealNewPrefill,
  type StageOption,
} from './modals.js';

/**
 * Deals' buttons and modals, wherever the buttons are shown (/crm deals, the
 * contact card, the account card, the digest): New deal (value JSON
 * {companyId?, contactId?}), Move stage, Mark won and Mark lost (value: the
 * deal id), and the three modals' submissions. A failure reaches whoever
 * pressed: an ephemeral message, or the error on the modal's field.
 */

type ViewState = ViewSubmitAction['view']['state'];
type Input = { block: string; action: string };
// biome-ignore lint/suspicious/noExplicitAny: Slack's view state values, read field by field
const stateOf = (state: ViewState, id: Input): any => state?.values?.[id.block]?.[id.action];
const textOf = (state: ViewState, id: Input) => String(stateOf(state, id)?.value ?? '').trim();
const optionOf = (state: ViewState, id: Input) => str(record(stateOf(state, id)?.selected_option)?.value);
const optionsOf = (state: ViewState, id: Input): string[] => {
  const picked = stateOf(state, id)?.selected_options;
  return Array.isArray(picked) ? picked.map((o) => str(record(o)?.value)).filter((v): v is string => v !== undefined) : [];
};

export async function pipelineOf(r: RapportContext): Promise<StageOption[]> {
  return (await json(r.api.pipeline.$get())).stages;
}

/** The Slack user's profile email, which is how the backend knows a member. */
async function emailOf(r: RapportContext, client: WebClient, user: string): Promise<string> {
  const fail = () => new BackendError(400, 'owner_unknown', st(r.locale, 'modal_err_owner'), { field: 'ownerEmail' });
  let email: string | undefined;
  try {
    email = (await client.users.info({ user })).user?.profile?.email ?? undefined;
  } catch {
    throw fail();
  }
  if (!email) throw fail();
  return email;
}

/** The New deal button's value: {companyId?, contactId?}; ids only. */
export function parseNewDealValue(value: string): { companyId?: string; contactId?: string } {
  try {
    const v = record(JSON.parse(value || '{}'));
    const id = (x: unknown) => (typeof x === 'string' && Id.safeParse(x).success ? x : undefined);
    const companyId = id(v?.companyId);
    const contactId = id(v?.contactId);
    return { ...(companyId ? { companyId } : {}), ...(contactId ? { contactId } : {}) };
  } catch {
    return {};
  }
}

/** The New deal modal, prefilled from a contact (its company too) or a company. */
export async function newDealView(r: RapportContext, from: { companyId?: string; contactId?: string }, channel: string | undefined) {
  const stages = await pipelineOf(r);
  const prefill: DealNewPrefill = { ownerSlackId: r.slackUserId };
  let company: { id: string; name: string } | null = null;
  if (from.contactId) {
    const c = await json(r.api.contacts[':id'].$get({ param: { id: from.contactId }, query: {} }));
    prefill.contact = { id: c.id, name: c.name };
    company = c.company;
  }
  if (from.companyId && company?.id !== from.companyId) {
    // named by id only (the account card's button): the account's name prefills the field; the deal gets
    // that company unless another is typed (an account that cannot be read leaves the field empty)
    const account = await json(r.api.companies[':id'].$get({ param: { id: from.companyId } })).catch(() => undefined);
    company = { id: from.companyId, name: account?.name ?? '' };
  }
  if (company?.name) prefill.companyName = company.name;
  const meta = encodeDealMeta({ ...(channel ? { ch: channel } : {}), ...(company ? { co: company.id, cn: company.name } : {}) });
  return dealNewModal(r.locale, stages, prefill, meta);
}

async function dealOf(r: RapportContext, id: string) {
  if (!Id.safeParse(id).success) throw new BackendError(404, 'deal_not_found', st(r.locale, 'deal_err_missing'));
  return json(r.api.deals[':id'].$get({ param: { id } }));
}

export function registerDealActions(bolt: App) {
  bolt.action<BlockButtonAction>(ACTIONS.dealNew, async (args) =>
    openModal(args, async (r, value, channel) => newDealView(r, parseNewDealValue(value), channel)),
  );
  bolt.action<BlockButtonAction>(ACTIONS.dealMoveStage, async (args) =>
    openModal(args, async (r, value, channel) => {
      const [deal, stages] = await Promise.all([dealOf(r, value), pipelineOf(r)]);
      return dealMoveStageModal(r.locale, deal, stages, encodeDealMeta({ d: deal.id, n: deal.name, ...(channel ? { ch: channel } : {}) }));
    }),
  );
  for (const [actionId, outcome] of [
    [ACTIONS.dealMarkWon, 'won'],
    [ACTIONS.dealMarkLost, 'lost'],
  ] as const) {
    bolt.action<BlockButtonAction>(actionId, async (args) =>
      openModal(args, async (r, value, channel) => {
        const deal = await dealOf(r, value);
        return dealCloseModal(r.locale, deal, outcome, encodeDealMeta({ d: deal.id, n: deal.name, s: outcome, ...(channel ? { ch: channel } : {}) }));
      }),
    );
  }

  // New deal's contacts: found by what is typed, as /crm finds them
  type Suggest = { options: { value?: string }; ack: (a: { options: unknown[] }) => Promise<void>; context: Record<string, unknown> };
  bolt.options<'block_suggestion'>(DEAL_INPUTS.contacts.action, (async ({ ack, options, context }: Suggest) => {
    const r = rapportOf(context);
    const q = String(options?.value ?? '')
      .trim()
      .slice(0, 200);
    if (!r || !q) return ack({ options: [] });
    try {
      const found = await json(r.api.contacts.$get({ query: { q, limit: '20' } }));
      await ack({
        options: found.items.map((c) => ({
          text: { type: 'plain_text', text: [c.name, c.company?.name].filter(Boolean).join(' · ').slice(0, 75) || '—' },
          value: c.id,
        })),
      });
    } catch {
      await ack({ options: [] });
    }
  }) as never);

  bolt.view<ViewSubmitAction>(VIEWS.dealNew, async ({ ack, body, view, client, context }) => {
    const r = rapportOf(context);
    if (!r) return ack();
    const meta = decodeDealMeta(view.private_metadata);
    const state = view.state;
    const name = textOf(state, DEAL_INPUTS.name);
    const company = textOf(state, DEAL_INPUTS.company);
    const amountText = textOf(state, DEAL_INPUTS.amount);
    const currency = optionOf(state, DEAL_INPUTS.currency) ?? DEFAULT_CURRENCY[r.locale];
    const stage = optionOf(state, DEAL_INPUTS.stage);
    const closeDate = str(stateOf(state, DEAL_INPUTS.closeDate)?.selected_date);
    const owner = str(stateOf(state, DEAL_INPUTS.owner)?.selected_user);
    const contacts = optionsOf(state, DEAL_INPUTS.contacts).filter((id) => Id.safeParse(id).success);
    const errors: FieldErrors = {};
    if (!name) errors[DEAL_INPUTS.name.block] = st(r.locale, 'modal_err_required');
    else if (name.length > DEAL_INPUT_MAX.name) errors[DEAL_INPUTS.name.block] = st(r.locale, 'modal_err_too_long', { max: DEAL_INPUT_MAX.name });
    if (company.length > DEAL_INPUT_MAX.company) errors[DEAL_INPUTS.company.block] = st(r.locale, 'modal_err_too_long', { max: DEAL_INPUT_MAX.company });
    const amount = amountText ? toMinor(amountText, currency) : undefined;
    if (amountText && amount === undefined) {
      errors[DEAL_INPUTS.amount.block] = st(r.locale, 'deal_err_amount', { digits: minorDigits(currency), currency });
    }
    if (closeDate !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(closeDate)) errors[DEAL_INPUTS.closeDate.block] = st(r.locale, 'modal_err_date');
    if (Object.keys(errors).length) return ack({ response_action: 'errors', errors });

    await submit({
      ack,
      r,
      client,
      user: body.user.id,
      meta: (meta.ch ? { ch: meta.ch } : {}) as Meta,
      blocks: {
        name: DEAL_INPUTS.name.block,
        company: DEAL_INPUTS.company.block,
        companyId: DEAL_INPUTS.company.block,
        contacts: DEAL_INPUTS.contacts.block,
        amount: DEAL_INPUTS.amount.block,
        currency: DEAL_INPUTS.currency.block,
        stage: DEAL_INPUTS.stage.block,
        closeDate: DEAL_INPUTS.closeDate.block,
        ownerEmail: DEAL_INPUTS.owner.block,
      },
      save: async () => {
        const ownerEmail = owner && owner !== r.slackUserId ? await emailOf(r, client, owner) : undefined;
        // the prefilled company by its id (its name as shown, or none shown: an account card's button names only the id)
        const companyPart = company
          ? meta.co && company === meta.cn
            ? { companyId: meta.co }
            : { company: { name: company } }
          : meta.co && !meta.cn
            ? { companyId: meta.co }
            : {};
        return json(
          r.api.deals.$post({
            json: {
              name,
              ...companyPart,
              ...(contacts.length ? { contacts: contacts.map((id) => ({ id })) } : {}),
              ...(amount !== undefined ? { amount, currency } : {}),
              ...(stage ? { stage } : {}),
              ...(closeDate ? { closeDate } : {}),
              ...(ownerEmail ? { ownerEmail } : {}),
            },
          }),
        );
      },
      saved: async (d) => tellUser(client, meta.ch, body.user.id, said(r, 'deal_created', { name: d.name, stage: d.stageName })),
    });
  });

  bolt.view<ViewSubmitAction>(VIEWS.dealMoveStage, async ({ ack, body, view, client, context }) => {
    const r = rapportOf(context);
    if (!r) return ack();
    const meta = decodeDealMeta(view.private_metadata);
    const stage = optionOf(view.state, DEAL_INPUTS.stage);
    const deal = meta.d;
    if (!deal || !Id.safeParse(deal).success)
      return ack({ response_action: 'errors', errors: { [DEAL_INPUTS.stage.block]: st(r.locale, 'deal_err_missing') } });
    if (!stage) return ack({ response_action: 'errors', errors: { [DEAL_INPUTS.stage.block]: st(r.locale, 'modal_err_required') } });
    await submit({
      ack,
      r,
      client,
      user: body.user.id,
      meta: (meta.ch ? { ch: meta.ch } : {}) as Meta,
      blocks: { stage: DEAL_INPUTS.stage.block },
      save: async () => json(r.api.deals[':id'].$patch({ param: { id: deal }, json: { stage } })),
      saved: async (d) => tellUser(client, meta.ch, body.user.id, said(r, 'deal_moved', { name: d.name, stage: d.stageName })),
    });
  });

  bolt.view<ViewSubmitAction>(VIEWS.dealClose, async ({ ack, body, view, client, context }) => {
    const r = rapportOf(context);
    if (!r) return ack();
    const meta = decodeDealMeta(view.private_metadata);
    const reason = textOf(view.state, DEAL_INPUTS.reason);
    const deal = meta.d;
    const outcome = meta.s;
    if (!deal || !Id.safeParse(deal).success || !outcome) {
      return ack({ response_action: 'errors', errors: { [DEAL_INPUTS.reason.block]: st(r.locale, 'deal_err_missing') } });
    }
    if (outcome === 'lost' && !reason) return ack({ response_action: 'errors', errors: { [DEAL_INPUTS.reason.block]: st(r.locale, 'deal_err_reason') } });
    if (reason.length > DEAL_INPUT_MAX.reason) {
      return ack({ response_action: 'errors', errors: { [DEAL_INPUTS.reason.block]: st(r.locale, 'modal_err_too_long', { max: DEAL_INPUT_MAX.reason }) } });
    }
    await submit({
      ack,
      r,
      client,
      user: body.user.id,
      meta: (meta.ch ? { ch: meta.ch } : {}) as Meta,
      blocks: { reason: DEAL_INPUTS.reason.block, status: DEAL_INPUTS.reason.block },
      save: async () => json(r.api.deals[':id'].$patch({ param: { id: deal }, json: { status: outcome, ...(reason ? { reason } : {}) } })),
      saved: async (d) => tellUser(client, meta.ch, body.user.id, said(r, outcome === 'won' ? 'deal_marked_won' : 'deal_marked_lost', { name: d.name })),
    });
  });
}

/** /crm deal: the New deal modal, opened with the command's trigger. */
export async function openNewDeal(r: RapportContext, client: WebClient, triggerId: string, channel: string | undefined) {
  try {
    await client.views.open({ trigger_id: triggerId, view: await newDealView(r, {}, channel) });
    return undefined;
  } catch (e) {
    if (!(e instanceof BackendError && e.status < 500)) throw e;
    return errorBlocks(r.locale, reasonOf(e));
  }
}
