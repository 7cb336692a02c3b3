/**
 * Deals on the person card: their open deals (name, stage, amount), each with
 * a stage dropdown and Move stage, and a New deal form prefilled with the
 * person and their company. The deals and the pipeline come with the Gmail
 * context (no second call); Move stage and Save call PATCH and POST
 * /api/deals. The actions' own exports are in main.ts, which passes in how
 * to redraw the card.
 */
import type { Deal, DealDetail, Pipeline } from '../../backend/api-types';
import { COMMON_CURRENCIES, formatMoney, minorDigits, toMinor } from '../../backend/i18n/money.js';
import { api, ApiError } from './api';
import { action, para } from './cards';
import { dateInput, input, param, readerOf, type AddonEvent, type Reader } from './event';
import { t } from './i18n';
import { cardText } from './text';

type Card = GoogleAppsScript.Card_Service.Card;
type Response = GoogleAppsScript.Card_Service.ActionResponse;
type Section = GoogleAppsScript.Card_Service.CardSection;
type Stage = Pipeline['stages'][number];

const DEALS_SHOWN = 5;
/** The currency a new deal starts in: the rep's market's. */
const DEFAULT_CURRENCY = { en: 'USD', ja: 'JPY', zh: 'CNY' } as const;

export interface DealFieldError {
  field: string;
  message: string;
}

function button(text: string, fn: string, params: Record<string, string>, filled = false) {
  const b = CardService.newTextButton().setText(text).setOnClickAction(action(fn, params));
  return filled ? b.setTextButtonStyle(CardService.TextButtonStyle.FILLED) : b;
}

function stageDropdown(field: string, stages: readonly Stage[], current: string | undefined, title: string) {
  const select = CardService.newSelectionInput().setType(CardService.SelectionInputType.DROPDOWN).setFieldName(field).setTitle(title);
  for (const s of stages) select.addItem(`${s.name} (${s.probability}%)`, s.key, s.key === (current ?? stages[0]?.key));
  return select;
}

/** 'Proposal sent · $1,200.50' */
export function dealTop(r: Reader, d: Deal): string {
  const amount = d.amount !== null && d.currency ? formatMoney(d.amount, d.currency, r.locale) : t(r.locale, 'deal_no_amount');
  return t(r.locale, 'deal_top', { stage: d.stageName, amount });
}

/** The person's open deals, each with Move stage, then New deal. */
export function dealsSection(
  r: Reader,
  contact: { id: string; name: string; company: { id: string; name: string } | null },
  deals: readonly Deal[],
  stages: readonly Stage[],
): Section {
  const s = CardService.newCardSection().setHeader(t(r.locale, 'label_deals'));
  if (deals.length === 0) s.addWidget(para(t(r.locale, 'no_deals')));
  for (const d of deals.slice(0, DEALS_SHOWN)) {
    s.addWidget(
      CardService.newDecoratedText()
        .setTopLabel(cardText(dealTop(r, d)))
        .setText(cardText(d.name))
        .setWrapText(true),
    );
    s.addWidget(stageDropdown(`stage:${d.id}`, stages, d.stage, t(r.locale, 'label_move_to')));
    s.addWidget(button(t(r.locale, 'btn_move_stage'), 'moveDealStage', { dealId: d.id, contactId: contact.id }));
  }
  s.addWidget(
    button(t(r.locale, 'btn_new_deal'), 'showNewDeal', {
      contactId: contact.id,
      name: contact.name,
      ...(contact.company ? { companyId: contact.company.id, companyName: contact.company.name } : {}),
    }),
  );
  return s;
}

export interface NewDealFor {
  contactId: string;
  name: string;
  companyId?: string;
  companyName?: string;
}

const FORM_FIELDS = ['dealName', 'amount', 'currency', 'stage', 'closeDate'];

/** New deal: name, amount and currency, stage, expected close; with the person and their company. */
export function newDealForm(r: Reader, who: NewDealFor, stages: readonly Stage[], values: Record<string, string> = {}, error?: DealFieldError): Card {
  const s = CardService.newCardSection();
  const mark = (field: string) => {
    if (error?.field === field) s.addWidget(para(`⚠️ ${error.message}`));
  };
  if (error && !FORM_FIELDS.includes(error.field)) s.addWidget(para(`⚠️ ${error.message}`));
  if (who.companyName) s.addWidget(para(t(r.locale, 'deal_company_line', { company: who.companyName })));
  mark('dealName');
  s.addWidget(
    CardService.newTextInput()
      .setFieldName('dealName')
      .setTitle(t(r.locale, 'label_deal_name'))
      .setValue(values.dealName ?? ''),
  );
  mark('amount');
  s.addWidget(
    CardService.newTextInput()
      .setFieldName('amount')
      .setTitle(t(r.locale, 'label_amount'))
      .setValue(values.amount ?? ''),
  );
  mark('currency');
  const currency = CardService.newSelectionInput()
    .setType(CardService.SelectionInputType.DROPDOWN)
    .setFieldName('currency')
    .setTitle(t(r.locale, 'label_currency'));
  const chosen = values.currency || DEFAULT_CURRENCY[r.locale];
  for (const c of COMMON_CURRENCIES) currency.addItem(c, c, c === chosen);
  s.addWidget(currency);
  mark('stage');
  s.addWidget(stageDropdown('stage', stages, values.stage, t(r.locale, 'label_deal_stage')));
  mark('closeDate');
  s.addWidget(CardService.newDatePicker().setFieldName('closeDate').setTitle(t(r.locale, 'label_close_date')));
  const params: Record<string, string> = { contactId: who.contactId, name: who.name };
  if (who.companyId) params.companyId = who.companyId;
  if (who.companyName) params.companyName = who.companyName;
  s.addWidget(
    CardService.newTextButton()
      .setText(t(r.locale, 'btn_save'))
      .setTextButtonStyle(CardService.TextButtonStyle.FILLED)
      .setOnClickAction(action('saveDeal', params)),
  );
  return CardService.newCardBuilder()
    .setName('deal')
    .setHeader(CardService.newCardHeader().setTitle(t(r.locale, 'deal_form_title', { name: who.name })))
    .addSection(s)
    .build();
}

/** What the actions need from main.ts: how to show a card, redraw the person, and explain a failure. */
export interface DealKit {
  update(card: Card, note?: string): Response;
  refresh(e: AddonEvent, r: Reader, contactId: string, note: string): Response;
  failure(r: Reader, e: unknown, retry: { fn: string; params?: Record<string, string> }): Card;
}

const whoOf = (e: AddonEvent): NewDealFor => {
  const who: NewDealFor = { contactId: param(e, 'contactId'), name: param(e, 'name') };
  if (param(e, 'companyId')) who.companyId = param(e, 'companyId');
  if (param(e, 'companyName')) who.companyName = param(e, 'companyName');
  return who;
};

/** Move stage: the stage picked in the deal's own dropdown. */
export function moveDealStageAction(e: AddonEvent, kit: DealKit): Response {
  const r = readerOf(e);
  const id = param(e, 'dealId');
  const stage = input(e, `stage:${id}`);
  try {
    const d = api<DealDetail>('PATCH', `/api/deals/${encodeURIComponent(id)}`, { stage }, r);
    return kit.refresh(e, r, param(e, 'contactId'), t(r.locale, 'deal_moved', { name: d.name, stage: d.stageName }));
  } catch (err) {
    if (err instanceof ApiError && (err.kind === 'invalid' || err.kind === 'conflict' || err.kind === 'not_found')) {
      return CardService.newActionResponseBuilder().setNotification(CardService.newNotification().setText(err.message)).build();
    }
    return kit.update(kit.failure(r, err, { fn: 'retryMessage' }));
  }
}

export function showNewDealAction(e: AddonEvent, kit: DealKit): Response {
  const r = readerOf(e);
  try {
    const stages = api<Pipeline>('GET', '/api/pipeline', undefined, r).stages;
    return CardService.newActionResponseBuilder()
      .setNavigation(CardService.newNavigation().pushCard(newDealForm(r, whoOf(e), stages)))
      .build();
  } catch (err) {
    return kit.update(kit.failure(r, err, { fn: 'retryMessage' }));
  }
}

/** The backend's field names in this form's. */
const FIELD_OF: Record<string, string> = { name: 'dealName', amount: 'amount', currency: 'currency', stage: 'stage', closeDate: 'closeDate' };

export function saveDealAction(e: AddonEvent, kit: DealKit): Response {
  const r = readerOf(e);
  const who = whoOf(e);
  const values = {
    dealName: input(e, 'dealName'),
    amount: input(e, 'amount'),
    currency: input(e, 'currency') || DEFAULT_CURRENCY[r.locale],
    stage: input(e, 'stage'),
  };
  const closeDate = dateInput(e, 'closeDate');
  const again = (fe: DealFieldError) => {
    let stages: Stage[] = [];
    try {
      stages = api<Pipeline>('GET', '/api/pipeline', undefined, r).stages;
    } catch {
      // the form comes back without stages rather than not at all
    }
    return kit.update(newDealForm(r, who, stages, values, fe), t(r.locale, 'form_problem'));
  };
  if (!values.dealName) return again({ field: 'dealName', message: t(r.locale, 'field_required') });
  const amount = values.amount ? toMinor(values.amount, values.currency) : undefined;
  if (values.amount && amount === undefined) {
    return again({ field: 'amount', message: t(r.locale, 'deal_amount_invalid', { digits: minorDigits(values.currency), currency: values.currency }) });
  }
  try {
    const d = api<DealDetail>(
      'POST',
      '/api/deals',
      {
        name: values.dealName,
        contacts: [{ id: who.contactId }],
        ...(who.companyId ? { companyId: who.companyId } : {}),
        ...(amount !== undefined ? { amount, currency: values.currency } : {}),
        ...(values.stage ? { stage: values.stage } : {}),
        ...(closeDate ? { closeDate } : {}),
      },
      r,
    );
    return kit.refresh(e, r, who.contactId, t(r.locale, 'deal_created', { name: d.name }));
  } catch (err) {
    if (err instanceof ApiError && (err.kind === 'invalid' || err.kind === 'conflict' || err.kind === 'not_found')) {
      const issues = (err.details.issues ?? []) as { path?: string }[];
      const names = [...issues.map((i) => String(i.path ?? '').split('.')[0]!), String(err.details.field ?? '')];
      return again({ field: names.map((n) => FIELD_OF[n]).find(Boolean) ?? '', message: err.message });
    }
    return kit.update(kit.failure(r, err, { fn: 'retryMessage' }));
  }
}
