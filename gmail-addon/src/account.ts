/**
 * The person card's account line (issue 18): the person's company as an
 * account, with its open deals counted and their total per currency, never
 * converted. Built from GmailPerson.account (the Gmail context carries it: no
 * second request).
 */
import { accountLine } from './account-line';
import type { Person } from './cards';
import type { Reader } from './event';
import { t } from './i18n';
import { cardText } from './text';

/** The account section of a person's card, or null when they have no company. */
export function accountSection(r: Reader, p: Person): GoogleAppsScript.Card_Service.CardSection | null {
  if (!p.account) return null;
  return CardService.newCardSection().addWidget(
    CardService.newDecoratedText()
      .setTopLabel(cardText(t(r.locale, 'label_account')))
      .setText(cardText(accountLine(r.locale, p.account)))
      .setWrapText(true),
  );
}
