/** The cards, built with CardService from the backend's JSON. Every string comes from i18n.ts. */
import { KINDS, STAGES } from '../../backend/i18n/vocabulary.js';
import { nameWithReading } from '../../backend/i18n/name-reading.js';
import type {
  Contact as ApiContact,
  ContactDetail,
  FollowUp as ApiFollowUp,
  GmailContext,
  GmailPerson,
  MemberBrief,
  TimelineEntry as ApiTimelineEntry,
} from '../../backend/api-types';
import { dealsSection } from './deals';
import type { Reader } from './event';
import { dayOf, formatDate, t, type MessageKey } from './i18n';
import { cardText } from './text';
import { accountSection } from './account';
import { answeredLine } from './answered';

// the backend's answers, typed by the routes' own declarations (a type-only import: nothing is bundled)
export type Brief = MemberBrief;
export type FollowUp = ApiFollowUp;
export type TimelineEntry = ApiTimelineEntry;
/** GET /api/contacts/{id}, or a person's card in the Gmail context (which adds their likely duplicates) */
export type Contact = Omit<ContactDetail, 'upcomingMeetings'> &
  Partial<Pick<ContactDetail, 'upcomingMeetings'>> &
  Partial<Pick<NonNullable<GmailPerson['contact']>, 'duplicates'>>;
export type Person = GmailPerson;
export type Context = GmailContext;
/** A line of the homepage's search results. */
export type ContactSummary = Pick<ApiContact, 'id' | 'name' | 'company' | 'emails'> & Partial<Pick<ApiContact, 'reading'>>;

const TIMELINE_SHOWN = 5;
const FOLLOW_UPS_SHOWN = 5;

type Section = GoogleAppsScript.Card_Service.CardSection;

const m = (r: Reader, key: MessageKey, params?: Record<string, unknown>) => t(r.locale, key, params);

/** An action calling a top-level function of the bundle with string parameters. */
export function action(fn: string, params: Record<string, string> = {}) {
  return CardService.newAction().setFunctionName(fn).setParameters(params);
}

function button(text: string, fn: string, params: Record<string, string> = {}, filled = false) {
  const b = CardService.newTextButton().setText(text).setOnClickAction(action(fn, params));
  return filled ? b.setTextButtonStyle(CardService.TextButtonStyle.FILLED) : b;
}

/**
 * A paragraph of text shown as typed. Gmail renders a paragraph's text (and a
 * decorated text's text and labels) as simple HTML, so a stored '<b>' or
 * '<a href=…>' would otherwise format or link.
 */
export function para(text: string) {
  return CardService.newTextParagraph().setText(cardText(text));
}

function labelled(top: string, text: string) {
  return CardService.newDecoratedText().setTopLabel(cardText(top)).setText(cardText(text)).setWrapText(true);
}

const stageLabel = (r: Reader, stage: string) => ((STAGES as readonly string[]).includes(stage) ? m(r, `stage_${stage}` as MessageKey) : stage);

function entryText(r: Reader, e: TimelineEntry): { top: string; text: string } {
  const when = formatDate(e.at, r.locale, r.timeZone);
  if (e.type === 'interaction') {
    const kind = e.interaction.kind;
    const label = (KINDS as readonly string[]).includes(kind) ? m(r, `kind_${kind}` as MessageKey) : kind;
    // who brought it into Rapport: two names, then how many more
    const names = [...new Set((e.interaction.capturedBy ?? []).map((c) => c.member.name))];
    const by = names.length ? ` · ${m(r, 'captured_by', { names: names.slice(0, 2).join(', ') + (names.length > 2 ? ` +${names.length - 2}` : '') })}` : '';
    return { top: `${label} · ${when}${by}`, text: e.interaction.subject || e.interaction.snippet || m(r, 'no_subject') };
  }
  if (e.type === 'follow_up') return { top: when, text: m(r, 'follow_up_entry', { note: e.followUp.note ?? '' }) };
  return { top: when, text: m(r, 'change_entry', { name: e.change.actor?.name ?? m(r, 'nobody') }) };
}

function followUpLine(r: Reader, f: FollowUp, nowMs: number) {
  const date = formatDate(f.dueAt, r.locale, r.timeZone);
  const overdue = Date.parse(f.dueAt) < nowMs;
  return labelled(m(r, overdue ? 'overdue_since' : 'due_on', { date }), f.note || (f.contact?.name ?? ''));
}

/** The sections of one contact: who they are, what is open, what happened last, and what the rep can do. */
export function contactSections(r: Reader, c: Contact, nowMs: number): Section[] {
  const who = CardService.newCardSection();
  if (c.duplicates?.length) who.addWidget(para(duplicatesLine(r, c.duplicates)));
  who
    .addWidget(labelled(m(r, 'label_title'), c.title || '—'))
    .addWidget(labelled(m(r, 'label_company'), c.company?.name || '—'))
    .addWidget(labelled(m(r, 'label_stage'), stageLabel(r, c.stage)))
    .addWidget(labelled(m(r, 'label_owner'), c.owner?.name || m(r, 'nobody')))
    .addWidget(labelled(m(r, 'label_last'), c.lastInteractionAt ? formatDate(c.lastInteractionAt, r.locale, r.timeZone) : m(r, 'never')));
  const open = CardService.newCardSection().setHeader(m(r, 'label_follow_ups'));
  if (c.openFollowUps.length === 0) open.addWidget(para(m(r, 'no_follow_ups')));
  for (const f of c.openFollowUps.slice(0, FOLLOW_UPS_SHOWN)) {
    open.addWidget(followUpLine(r, f, nowMs).setButton(button(m(r, 'btn_done'), 'completeFollowUp', { followUpId: f.id })));
  }
  const sections = [who, open];
  // meetings to come, from synced Google Calendars: when, how long, what, who from the team goes
  if (c.upcomingMeetings?.length) {
    const meetings = CardService.newCardSection().setHeader(m(r, 'label_meetings'));
    for (const x of c.upcomingMeetings.slice(0, FOLLOW_UPS_SHOWN)) {
      const top = m(r, 'meeting_when', { date: formatDate(x.start, r.locale, r.timeZone), minutes: x.durationMinutes });
      const title = x.title || m(r, 'no_subject');
      const names = x.members.map((p) => p.name).join(', ');
      meetings.addWidget(labelled(top, names ? m(r, 'meeting_with', { title, names }) : title));
    }
    sections.push(meetings);
  }
  const history = CardService.newCardSection().setHeader(m(r, 'label_timeline'));
  if (c.timeline.length === 0) history.addWidget(para(m(r, 'no_timeline')));
  for (const e of c.timeline.slice(0, TIMELINE_SHOWN)) {
    const { top, text } = entryText(r, e);
    history.addWidget(labelled(top, text));
  }
  const params = { contactId: c.id, name: c.name };
  const buttons = CardService.newCardSection().addWidget(
    CardService.newButtonSet()
      .addButton(button(m(r, 'btn_edit'), 'showEditContact', params))
      .addButton(button(m(r, 'btn_add_follow_up'), 'showAddFollowUp', params))
      .addButton(button(m(r, 'btn_add_note'), 'showAddNote', params)),
  );
  return [...sections, history, buttons];
}

const DUPLICATE_REASONS = ['email', 'phone', 'name'] as const;

/** 'Possibly the same person as J. Doe (same email), Jane D. (similar name, same company). …' */
function duplicatesLine(r: Reader, dups: NonNullable<Contact['duplicates']>) {
  const names = dups.map((d) => {
    const reason = (DUPLICATE_REASONS as readonly string[]).includes(d.reason) ? m(r, `duplicate_reason_${d.reason}` as MessageKey) : d.reason;
    return m(r, 'duplicate_entry', { name: d.name, reason });
  });
  return m(r, 'duplicates_line', { names: names.join(r.locale === 'en' ? ', ' : '、') });
}

/** Whether this email is in Rapport, and the buttons that log it. */
function loggingSection(r: Reader, ctx: Context, nowMs: number, person = '') {
  const s = CardService.newCardSection();
  // a person who joined by themselves, told once (main.ts then marks it shown)
  const welcome = ctx.me?.welcome;
  if (welcome) s.addWidget(para(m(r, 'welcome_joined', { workspace: welcome.workspace, role: m(r, `role_${welcome.role}`) })));
  s.addWidget(
    para(
      ctx.logged
        ? m(r, 'logged_by', { name: ctx.logged.by?.name ?? m(r, 'nobody'), date: formatDate(ctx.logged.at, r.locale, r.timeZone) })
        : m(r, 'not_logged'),
    ),
  );
  // a colleague already replied or took it: so two people do not answer the same inquiry
  const answered = answeredLine(r, ctx, nowMs);
  if (answered) s.addWidget(para(`👀 ${answered}`));
  const set = CardService.newButtonSet();
  if (!ctx.logged) set.addButton(button(m(r, 'btn_log_email'), 'logThisEmail', { person }, true));
  set.addButton(button(m(r, 'btn_log_thread'), 'logWholeThread', { person }));
  return s.addWidget(set);
}

/** Create contact, prefilled from the display name and the domain (no company for free mail). */
export function createContactSections(r: Reader, p: Person, error?: { field: string; message: string }): Section[] {
  const s = CardService.newCardSection().setHeader(m(r, 'unknown_person'));
  const field = (name: string, label: MessageKey, value: string) => {
    if (error?.field === name) s.addWidget(para(`⚠️ ${error.message}`));
    s.addWidget(CardService.newTextInput().setFieldName(name).setTitle(m(r, label)).setValue(value));
  };
  field('name', 'label_name', p.suggestion?.name ?? p.name ?? '');
  field('email', 'label_email', p.email);
  field('company', 'label_company', p.suggestion?.companyName ?? '');
  field('title', 'label_title', '');
  s.addWidget(button(m(r, 'btn_create_contact'), 'createContact', { email: p.email }, true));
  return [s];
}

/** The card for one person on the open email. */
export function personCard(r: Reader, ctx: Context, p: Person, nowMs: number) {
  const card = CardService.newCardBuilder().setName(`person:${p.email.toLowerCase()}`);
  // 田中 太郎（たなか たろう） for a reader of another language (issue 21)
  const title = p.contact ? nameWithReading(p.contact.name, p.contact.reading, r.locale) : (p.name ?? p.email);
  card.setHeader(CardService.newCardHeader().setTitle(title).setSubtitle(p.email));
  card.addSection(loggingSection(r, ctx, nowMs, p.email));
  const account = accountSection(r, p);
  if (account) card.addSection(account);
  for (const s of p.contact ? contactSections(r, p.contact, nowMs) : createContactSections(r, p)) card.addSection(s);
  // their open deals with Move stage, and New deal (deals.ts)
  if (p.contact) card.addSection(dealsSection(r, p.contact, ctx.deals?.[p.contact.id] ?? [], ctx.pipeline ?? []));
  return card.build();
}

/** The cards for an open email: one per external person, sender first; or one that says there is nobody to show. */
export function messageCards(r: Reader, ctx: Context, nowMs: number) {
  if (ctx.people.length === 0) {
    return [
      CardService.newCardBuilder()
        .setHeader(CardService.newCardHeader().setTitle(m(r, 'app_name')))
        .addSection(loggingSection(r, ctx, nowMs).addWidget(para(m(r, 'only_colleagues'))))
        .build(),
    ];
  }
  const cards = ctx.people.map((p) => personCard(r, ctx, p, nowMs));
  if (ctx.more > 0) {
    cards.push(
      CardService.newCardBuilder()
        .setHeader(CardService.newCardHeader().setTitle(m(r, 'more_people', { count: ctx.more })))
        .addSection(CardService.newCardSection().addWidget(para(m(r, 'more_people', { count: ctx.more }))))
        .build(),
    );
  }
  return cards;
}

/** The homepage: search, then my follow-ups due today or overdue with Done. */
export function homepageCard(
  r: Reader,
  due: FollowUp[],
  nowMs: number,
  search?: { query: string; results: { id: string; name: string; reading?: string | null; company: { name: string } | null; emails: string[] }[] },
) {
  const card = CardService.newCardBuilder()
    .setName('home')
    .setHeader(CardService.newCardHeader().setTitle(m(r, 'app_name')));
  const find = CardService.newCardSection()
    .addWidget(
      CardService.newTextInput()
        .setFieldName('query')
        .setTitle(m(r, 'label_search'))
        .setValue(search?.query ?? ''),
    )
    .addWidget(button(m(r, 'btn_search'), 'searchContacts'));
  card.addSection(find);
  if (search) {
    const found = CardService.newCardSection().setHeader(m(r, 'home_results', { query: search.query }));
    if (search.results.length === 0) found.addWidget(para(m(r, 'home_no_results', { query: search.query })));
    for (const c of search.results.slice(0, 20)) {
      found.addWidget(
        CardService.newDecoratedText()
          .setText(cardText(nameWithReading(c.name, c.reading, r.locale)))
          .setBottomLabel(cardText([c.company?.name, c.emails[0]].filter(Boolean).join(' · ')))
          .setOnClickAction(action('openContact', { contactId: c.id })),
      );
    }
    card.addSection(found);
  }
  const today = dayOf(nowMs, r.timeZone);
  const mine = due.filter((f) => f.status === 'open' && dayOf(Date.parse(f.dueAt), r.timeZone) <= today);
  const list = CardService.newCardSection().setHeader(m(r, 'home_due'));
  if (mine.length === 0) list.addWidget(para(m(r, 'home_nothing_due')));
  for (const f of mine.slice(0, 30)) {
    list.addWidget(
      followUpLine(r, f, nowMs)
        .setBottomLabel(cardText(f.contact?.name ?? ''))
        .setButton(button(m(r, 'btn_done'), 'completeFollowUp', { followUpId: f.id })),
    );
  }
  return card.addSection(list).build();
}

/** A contact opened from the homepage search. */
export function contactCard(r: Reader, c: Contact, nowMs: number) {
  const card = CardService.newCardBuilder()
    .setName(`contact:${c.id}`)
    .setHeader(
      CardService.newCardHeader()
        .setTitle(nameWithReading(c.name, c.reading, r.locale))
        .setSubtitle(c.emails[0] ?? ''),
    );
  for (const s of contactSections(r, c, nowMs)) card.addSection(s);
  return card.build();
}

/** Something went wrong: what, and a Retry where retrying can help. */
export function errorCard(
  r: Reader,
  kind: 'unavailable' | 'access' | 'config',
  reason: string,
  retry?: { fn: string; params?: Record<string, string> },
  email = '',
) {
  const title = kind === 'access' ? m(r, 'err_access_title') : m(r, 'err_unavailable_title');
  const body =
    kind === 'access' ? m(r, 'err_access_body', { email, reason }) : kind === 'config' ? m(r, 'err_config') : m(r, 'err_unavailable_body', { reason });
  const s = CardService.newCardSection().addWidget(para(body));
  if (retry && kind !== 'config') s.addWidget(button(m(r, 'btn_retry'), retry.fn, retry.params ?? {}, true));
  return CardService.newCardBuilder().setName('error').setHeader(CardService.newCardHeader().setTitle(title)).addSection(s).build();
}
