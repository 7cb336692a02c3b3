/**
 * The add-on's triggers and actions. Every export here becomes a top-level
 * function of dist/Code.js (Apps Script finds nothing else); appsscript.json
 * names the triggers, the cards' actions name the rest.
 */
import { api, ApiError } from './api';
import {
  contactCard,
  createContactSections,
  errorCard,
  homepageCard,
  messageCards,
  personCard,
  type Contact,
  type ContactSummary,
  type Context,
  type Person,
} from './cards';
import type { Contact as ApiContact, ContactPage, FollowUp, FollowUpList, GmailLogResult } from '../../backend/api-types';
import { input, dateInput, openMessageId, param, readerOf, zonedTime, type AddonEvent, type Reader } from './event';
import { moveDealStageAction, saveDealAction, showNewDealAction, type DealKit } from './deals';
import { editContactForm, followUpForm, noteForm, type FieldError } from './forms';
import { dayOf, formatDate, t } from './i18n';
import { batches, fitMessage, loggedMessage, messageIdOf, peopleOf } from './mail';

// the universal actions (Settings, with its Disconnect Gmail button, and Help): top-level functions of the bundle like every export here
export { calendarOff, calendarOn, disconnectGmail, onHelp, onSettings } from './universal';

type Card = GoogleAppsScript.Card_Service.Card;
type Response = GoogleAppsScript.Card_Service.ActionResponse;

/** The most messages one "Log whole thread" sends (the backend takes 100 per call). */
const THREAD_MAX = 100;

const now = () => Date.now();
const me = () => Session.getActiveUser().getEmail();

/** The backend's picture of the open email: who is on it, what Rapport knows of them, whether it is logged. */
function loadContext(r: Reader, gmailId: string): Context {
  const msg = GmailApp.getMessageById(gmailId);
  const { from, to, cc } = peopleOf(msg);
  const subject = (msg.getSubject() || '').slice(0, 1000);
  return api<Context>(
    'POST',
    '/api/gmail/context',
    {
      message: fitMessage({
        messageId: messageIdOf(msg).slice(0, 1000),
        gmailMessageId: gmailId,
        threadId: msg.getThread().getId(),
        ...(from ? { from } : {}),
        to,
        cc,
        ...(subject ? { subject } : {}),
        date: msg.getDate().toISOString(),
      }),
    },
    r,
  );
}

/** An ApiError (or anything else) as the card that explains it. */
function failureCard(r: Reader, e: unknown, retry: { fn: string; params?: Record<string, string> }): Card {
  if (e instanceof ApiError && (e.kind === 'access' || e.kind === 'config')) return errorCard(r, e.kind, e.message, retry, me());
  const reason = e instanceof ApiError ? e.message : String((e as Error)?.message ?? e).slice(0, 200);
  console.error(`[rapport] ${retry.fn}: ${reason}`);
  return errorCard(r, 'unavailable', reason, retry);
}

function update(card: Card, note?: string): Response {
  const b = CardService.newActionResponseBuilder().setNavigation(CardService.newNavigation().updateCard(card));
  if (note) b.setNotification(CardService.newNotification().setText(note));
  return b.build();
}

function notify(note: string): Response {
  return CardService.newActionResponseBuilder().setNotification(CardService.newNotification().setText(note)).build();
}

/** After a change: back to the root card, redrawn with the change (the person on the open email, else the contact). */
function backAndRefresh(e: AddonEvent, r: Reader, contactId: string, note: string): Response {
  const gmailId = openMessageId(e);
  let card: Card;
  try {
    if (gmailId) {
      const ctx = loadContext(r, gmailId);
      const p = ctx.people.find((x) => x.contact?.id === contactId) ?? ctx.people[0];
      card = p ? personCard(r, ctx, p, now()) : messageCards(r, ctx, now())[0]!;
    } else {
      card = contactCard(r, getContact(r, contactId), now());
    }
  } catch (err) {
    card = failureCard(r, err, { fn: gmailId ? 'retryMessage' : 'retryHome' });
  }
  return CardService.newActionResponseBuilder()
    .setNavigation(CardService.newNavigation().popToRoot().updateCard(card))
    .setNotification(CardService.newNotification().setText(note))
    .build();
}

/** The field a backend 4xx is about, in this form's names; '' when it names none. */
function fieldOf(e: ApiError): string {
  const names: string[] = [];
  const issues = (e.details.issues ?? []) as { path?: string }[];
  for (const i of issues)
    names.push(
      ...String(i.path ?? '')
        .split(/,\s*/)
        .map((p) => p.split('.')[0]!),
    );
  if (typeof e.details.field === 'string') names.push(e.details.field);
  if (e.details.email !== undefined || e.details.code === 'email_taken') names.push('emails');
  const map: Record<string, string> = {
    emails: 'email',
    company: 'company',
    dueAt: 'dueDate',
    body: 'note',
    note: 'note',
    name: 'name',
    title: 'title',
    reading: 'reading',
    phone: 'phone',
    tags: 'tags',
    stage: 'stage',
  };
  return names.map((n) => map[n]).find(Boolean) ?? '';
}

/** A form that failed: back with the message next to its field, or the error card when it was not the input's fault. */
function formFailed(r: Reader, e: unknown, redraw: (err: FieldError) => Card, retryFn: string): Response {
  if (e instanceof ApiError && (e.kind === 'invalid' || e.kind === 'conflict')) {
    return update(redraw({ field: fieldOf(e), message: e.message }), t(r.locale, 'form_problem'));
  }
  return update(failureCard(r, e, { fn: retryFn }));
}

// ------------------------------------------------------------------ triggers

export function onGmailMessageOpen(e: AddonEvent): Card[] {
  const r = readerOf(e);
  try {
    const gmailId = openMessageId(e);
    if (!gmailId) return [home(r)];
    const ctx = loadContext(r, gmailId);
    const cards = messageCards(r, ctx, now());
    // shown on these cards: not again (a failure here only means it shows once more)
    if (ctx.me?.welcome) {
      try {
        api('POST', '/api/me/welcome', undefined, r);
      } catch (err) {
        console.error(`[rapport] welcome: ${(err as Error)?.message ?? err}`);
      }
    }
    return cards;
  } catch (err) {
    return [failureCard(r, err, { fn: 'retryMessage' })];
  }
}

function home(r: Reader, search?: { query: string; results: ContactSummary[] }): Card {
  const due = api<FollowUpList>('GET', '/api/follow-ups?owner=me&limit=100', undefined, r).items;
  return homepageCard(r, due, now(), search);
}

export function onHomepage(e: AddonEvent): Card[] {
  const r = readerOf(e);
  try {
    return [home(r)];
  } catch (err) {
    return [failureCard(r, err, { fn: 'retryHome' })];
  }
}

export function retryMessage(e: AddonEvent): Response {
  return update(onGmailMessageOpen(e)[0]!);
}

export function retryHome(e: AddonEvent): Response {
  return update(onHomepage(e)[0]!);
}

// ------------------------------------------------------------------ logging

export function logThisEmail(e: AddonEvent): Response {
  const r = readerOf(e);
  try {
    const msg = GmailApp.getMessageById(openMessageId(e) ?? '');
    const data = loggedMessage(msg);
    if (!data) return notify(t(r.locale, 'no_sender'));
    const res = api<GmailLogResult>('POST', '/api/gmail/log', { messages: [data] }, r);
    const item = res.items[0]!;
    const note = item.created ? t(r.locale, 'logged_one') : t(r.locale, 'logged_already', { name: item.loggedBy?.name ?? t(r.locale, 'nobody') });
    const ctx = loadContext(r, msg.getId());
    const p = ctx.people.find((x) => x.email.toLowerCase() === param(e, 'person').toLowerCase()) ?? ctx.people[0];
    return update(p ? personCard(r, ctx, p, now()) : messageCards(r, ctx, now())[0]!, note);
  } catch (err) {
    return update(failureCard(r, err, { fn: 'logThisEmail', params: { person: param(e, 'person') } }));
  }
}

export function logWholeThread(e: AddonEvent): Response {
  const r = readerOf(e);
  try {
    const thread = GmailApp.getMessageById(openMessageId(e) ?? '').getThread();
    const all = thread.getMessages();
    const messages = all
      .slice(-THREAD_MAX)
      .map(loggedMessage)
      .filter((x) => x !== undefined);
    if (messages.length === 0) return notify(t(r.locale, 'no_sender'));
    // one call, unless the thread's text is more than one request carries
    const items = batches(messages, THREAD_MAX).flatMap((batch) => api<GmailLogResult>('POST', '/api/gmail/log', { messages: batch }, r).items);
    const created = items.filter((i) => i.created).length;
    const note = [
      t(r.locale, 'logged_thread', { created, total: items.length }),
      ...(all.length > THREAD_MAX ? [t(r.locale, 'thread_capped', { count: THREAD_MAX })] : []),
    ].join(' ');
    return notify(note);
  } catch (err) {
    return update(failureCard(r, err, { fn: 'logWholeThread' }));
  }
}

// ------------------------------------------------------------------ contacts

function getContact(r: Reader, id: string): Contact {
  return api<Contact>('GET', `/api/contacts/${encodeURIComponent(id)}`, undefined, r);
}

export function showEditContact(e: AddonEvent): Response {
  const r = readerOf(e);
  try {
    return CardService.newActionResponseBuilder()
      .setNavigation(CardService.newNavigation().pushCard(editContactForm(r, getContact(r, param(e, 'contactId')))))
      .build();
  } catch (err) {
    return update(failureCard(r, err, { fn: 'showEditContact', params: { contactId: param(e, 'contactId') } }));
  }
}

export function saveContact(e: AddonEvent): Response {
  const r = readerOf(e);
  const id = param(e, 'contactId');
  const patch = {
    stage: input(e, 'stage') || undefined,
    title: input(e, 'title') || null,
    reading: input(e, 'reading') || null,
    phone: input(e, 'phone') || null,
    tags: input(e, 'tags')
      .split(/[,、，]/)
      .map((s) => s.trim())
      .filter(Boolean),
  };
  try {
    api('PATCH', `/api/contacts/${encodeURIComponent(id)}`, patch, r);
    return backAndRefresh(e, r, id, t(r.locale, 'saved_contact'));
  } catch (err) {
    return formFailed(
      r,
      err,
      (fe) => {
        const c = getContact(r, id);
        const stage = (['lead', 'prospect', 'customer', 'churned'] as const).find((s) => s === patch.stage) ?? c.stage;
        return editContactForm(r, { ...c, title: patch.title, reading: patch.reading, phone: patch.phone, tags: patch.tags, stage }, fe);
      },
      'retryMessage',
    );
  }
}

export function createContact(e: AddonEvent): Response {
  const r = readerOf(e);
  const email = input(e, 'email') || param(e, 'email');
  const name = input(e, 'name');
  const company = input(e, 'company');
  const title = input(e, 'title');
  const person: Person = { email, name, role: 'from', contact: null, suggestion: { name, companyName: company || null, domain: null }, account: null };
  const again = (fe: FieldError) => {
    const card = CardService.newCardBuilder().setHeader(CardService.newCardHeader().setTitle(t(r.locale, 'create_title')).setSubtitle(email));
    for (const s of createContactSections(r, person, fe)) card.addSection(s);
    return card.build();
  };
  if (!name) return update(again({ field: 'name', message: t(r.locale, 'field_required') }), t(r.locale, 'form_problem'));
  try {
    const created = api<ApiContact>(
      'POST',
      '/api/contacts',
      {
        name,
        emails: [email],
        ...(company ? { company: { name: company } } : {}),
        ...(title ? { title } : {}),
      },
      r,
    );
    return backAndRefresh(e, r, created.id, t(r.locale, 'saved_contact'));
  } catch (err) {
    return formFailed(r, err, again, 'retryMessage');
  }
}

// ------------------------------------------------------------------ follow-ups and notes

export function showAddFollowUp(e: AddonEvent): Response {
  const r = readerOf(e);
  const tomorrow = dayOf(now() + 86_400_000, r.timeZone);
  const form = followUpForm(r, { id: param(e, 'contactId'), name: param(e, 'name') }, Date.parse(`${tomorrow}T00:00:00Z`), Utilities.getUuid());
  return CardService.newActionResponseBuilder().setNavigation(CardService.newNavigation().pushCard(form)).build();
}

export function saveFollowUp(e: AddonEvent): Response {
  const r = readerOf(e);
  const contact = { id: param(e, 'contactId'), name: param(e, 'name') };
  const clientKey = param(e, 'clientKey');
  const day = dateInput(e, 'dueDate');
  const redraw = (fe: FieldError) => followUpForm(r, contact, day ? Date.parse(`${day}T00:00:00Z`) : now(), clientKey, fe);
  if (!day) return update(redraw({ field: 'dueDate', message: t(r.locale, 'field_required') }), t(r.locale, 'form_problem'));
  const note = input(e, 'note');
  const dueAt = zonedTime(day, 9, 0, r.timeZone);
  try {
    api('POST', '/api/follow-ups', { contactId: contact.id, dueAt, clientKey: `gmail:${clientKey}`, ...(note ? { note } : {}) }, r);
    return backAndRefresh(e, r, contact.id, t(r.locale, 'saved_follow_up', { date: formatDate(dueAt, r.locale, r.timeZone) }));
  } catch (err) {
    return formFailed(r, err, redraw, 'retryMessage');
  }
}

export function showAddNote(e: AddonEvent): Response {
  const r = readerOf(e);
  const form = noteForm(r, { id: param(e, 'contactId'), name: param(e, 'name') }, Utilities.getUuid());
  return CardService.newActionResponseBuilder().setNavigation(CardService.newNavigation().pushCard(form)).build();
}

export function saveNote(e: AddonEvent): Response {
  const r = readerOf(e);
  const contact = { id: param(e, 'contactId'), name: param(e, 'name') };
  const clientKey = param(e, 'clientKey');
  const note = input(e, 'note');
  const redraw = (fe: FieldError) => noteForm(r, contact, clientKey, fe);
  if (!note) return update(redraw({ field: 'note', message: t(r.locale, 'field_required') }), t(r.locale, 'form_problem'));
  try {
    api(
      'POST',
      '/api/interactions',
      {
        kind: 'note',
        source: 'gmail',
        externalId: `gmail-note:${clientKey}`,
        occurredAt: new Date(now()).toISOString(),
        body: note,
        participants: [{ role: 'about', contactId: contact.id }],
      },
      r,
    );
    return backAndRefresh(e, r, contact.id, t(r.locale, 'saved_note'));
  } catch (err) {
    return formFailed(r, err, redraw, 'retryMessage');
  }
}

export function completeFollowUp(e: AddonEvent): Response {
  const r = readerOf(e);
  try {
    const done = api<FollowUp>('PATCH', `/api/follow-ups/${encodeURIComponent(param(e, 'followUpId'))}`, { status: 'done' }, r);
    if (!openMessageId(e)) return update(home(r), t(r.locale, 'done_follow_up'));
    return backAndRefresh(e, r, done.contact?.id ?? '', t(r.locale, 'done_follow_up'));
  } catch (err) {
    return update(failureCard(r, err, { fn: 'completeFollowUp', params: { followUpId: param(e, 'followUpId') } }));
  }
}

// ------------------------------------------------------------------ homepage

export function searchContacts(e: AddonEvent): Response {
  const r = readerOf(e);
  const query = input(e, 'query').slice(0, 200);
  try {
    const results = query ? api<ContactPage>('GET', `/api/contacts?q=${encodeURIComponent(query)}&limit=20`, undefined, r).items : [];
    return update(home(r, query ? { query, results } : undefined));
  } catch (err) {
    return update(failureCard(r, err, { fn: 'retryHome' }));
  }
}

export function openContact(e: AddonEvent): Response {
  const r = readerOf(e);
  try {
    return CardService.newActionResponseBuilder()
      .setNavigation(CardService.newNavigation().pushCard(contactCard(r, getContact(r, param(e, 'contactId')), now())))
      .build();
  } catch (err) {
    return update(failureCard(r, err, { fn: 'retryHome' }));
  }
}

// ------------------------------------------------------------------ deals (deals.ts)

const dealKit: DealKit = { update, refresh: backAndRefresh, failure: failureCard };

export function moveDealStage(e: AddonEvent): Response {
  return moveDealStageAction(e, dealKit);
}

export function showNewDeal(e: AddonEvent): Response {
  return showNewDealAction(e, dealKit);
}

export function saveDeal(e: AddonEvent): Response {
  return saveDealAction(e, dealKit);
}
