/** The forms: edit a contact, add a follow-up, add a note. A field the backend refused shows its message above it. */
import type { Contact } from './cards';
import { action, para } from './cards';
import { STAGES } from '../../backend/i18n/vocabulary.js';
import type { Reader } from './event';
import { t, type MessageKey } from './i18n';

export interface FieldError {
  field: string;
  message: string;
}

function form(
  _r: Reader,
  name: string,
  title: string,
  build: (s: GoogleAppsScript.Card_Service.CardSection, field: (n: string) => void) => void,
  error?: FieldError,
) {
  const s = CardService.newCardSection();
  const field = (n: string) => {
    if (error?.field === n) s.addWidget(para(`⚠️ ${error.message}`));
  };
  if (error && !['name', 'title', 'reading', 'phone', 'tags', 'stage', 'dueDate', 'note', 'email', 'company'].includes(error.field)) {
    s.addWidget(para(`⚠️ ${error.message}`));
  }
  build(s, field);
  return CardService.newCardBuilder().setName(name).setHeader(CardService.newCardHeader().setTitle(title)).addSection(s).build();
}

function saveButton(r: Reader, fn: string, params: Record<string, string>) {
  return CardService.newTextButton()
    .setText(t(r.locale, 'btn_save'))
    .setTextButtonStyle(CardService.TextButtonStyle.FILLED)
    .setOnClickAction(action(fn, params));
}

export function editContactForm(r: Reader, c: Contact, error?: FieldError) {
  return form(
    r,
    'edit',
    t(r.locale, 'edit_title', { name: c.name }),
    (s, field) => {
      field('stage');
      const stage = CardService.newSelectionInput().setType(CardService.SelectionInputType.DROPDOWN).setFieldName('stage').setTitle(t(r.locale, 'label_stage'));
      for (const st of STAGES) stage.addItem(t(r.locale, `stage_${st}` as MessageKey), st, st === c.stage);
      s.addWidget(stage);
      for (const [name, label, value] of [
        ['title', 'label_title', c.title ?? ''],
        ['reading', 'label_reading', c.reading ?? ''],
        ['phone', 'label_phone', c.phone ?? ''],
        ['tags', 'label_tags', c.tags.join(', ')],
      ] as const) {
        field(name);
        s.addWidget(CardService.newTextInput().setFieldName(name).setTitle(t(r.locale, label)).setValue(value));
      }
      s.addWidget(saveButton(r, 'saveContact', { contactId: c.id }));
    },
    error,
  );
}

/** clientKey: made once per form, so pressing Save twice makes one follow-up. */
export function followUpForm(r: Reader, contact: { id: string; name: string }, defaultDayMs: number, clientKey: string, error?: FieldError) {
  return form(
    r,
    'follow-up',
    t(r.locale, 'follow_up_title', { name: contact.name }),
    (s, field) => {
      field('dueDate');
      s.addWidget(CardService.newDatePicker().setFieldName('dueDate').setTitle(t(r.locale, 'label_due')).setValueInMsSinceEpoch(defaultDayMs));
      field('note');
      s.addWidget(CardService.newTextInput().setFieldName('note').setTitle(t(r.locale, 'label_note')).setMultiline(true));
      s.addWidget(saveButton(r, 'saveFollowUp', { contactId: contact.id, name: contact.name, clientKey }));
    },
    error,
  );
}

export function noteForm(r: Reader, contact: { id: string; name: string }, clientKey: string, error?: FieldError) {
  return form(
    r,
    'note',
    t(r.locale, 'note_title', { name: contact.name }),
    (s, field) => {
      field('note');
      s.addWidget(CardService.newTextInput().setFieldName('note').setTitle(t(r.locale, 'label_note')).setMultiline(true));
      s.addWidget(saveButton(r, 'saveNote', { contactId: contact.id, name: contact.name, clientKey }));
    },
    error,
  );
}
