import { json } from '../backend-client.js';
import type { RapportContext } from '../identity.js';
import { type CardPlace, contactCard, searchAnswer } from '../contacts/show-contact.js';
import { accountCardBlocks, accountNoMatchBlocks, accountPickerBlocks } from './account-card.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** NFKC, lower case, no spaces: how the backend folds names (crm.fold). */
const fold = (s: string) => s.normalize('NFKC').toLowerCase().replace(/\s+/g, '');

/** The account card of one company, in the reader's language and time zone. */
export async function accountCard(r: RapportContext, id: string, place: Pick<CardPlace, 'external'> & { shared?: boolean }) {
  const card = await json(r.api.companies[':id'].$get({ param: { id } }));
  return accountCardBlocks(card, {
    locale: r.locale,
    timeZone: r.timeZone,
    now: r.now().toISOString(),
    external: place.external,
    shared: place.shared ?? false,
  });
}

/** `/crm company <query>`: companies only (one -> its card, several -> a list, none -> say so). */
export async function companyAnswer(r: RapportContext, query: string, place: CardPlace) {
  const page = await json(r.api.companies.$get({ query: { q: query, limit: '11' } }));
  if (page.items.length === 1) return accountCard(r, page.items[0]!.id, place);
  if (page.items.length === 0) return accountNoMatchBlocks(query, r.locale);
  return accountPickerBlocks(page.items, [], query, r.locale);
}

/**
 * `/crm <query>` and @Rapport questions: a person or a company.
 *   - an email address: the contact owning it, as before;
 *   - companies match and no person matches by their own name: one company ->
 *     the account card, several -> a list of them ("acme" is about Acme, not
 *     about each of its people, whom the contacts' search also finds through
 *     their company);
 *   - people match by name and no company does: the contact search as before;
 *   - both: one list with the companies and the people, each opening its card.
 */
export async function lookupAnswer(r: RapportContext, query: string, place: CardPlace) {
  if (EMAIL.test(query)) return searchAnswer(r, query, place);
  const [companies, contacts] = await Promise.all([
    json(r.api.companies.$get({ query: { q: query, limit: '11' } })),
    json(r.api.contacts.$get({ query: { q: query, limit: '11' } })),
  ]);
  const q = fold(query);
  const people = contacts.items.filter((c) => fold(c.name).includes(q));
  if (companies.items.length === 0) return searchAnswer(r, query, place);
  if (people.length === 0) {
    if (companies.items.length === 1) return accountCard(r, companies.items[0]!.id, place);
    return accountPickerBlocks(companies.items, [], query, r.locale);
  }
  return accountPickerBlocks(companies.items, people, query, r.locale);
}

export { contactCard };
