-- Readings of names (issue 21): how a contact's or a company's name is said,
-- Japanese kana (given: an import's フリガナ / Phonetic column, a Slack
-- profile's phonetic name, or typed) or Chinese pinyin (computed from the
-- characters by backend/contacts/reading.ts, and editable). Sorting by
-- reading, search by kana and pinyin and the API's field come in the
-- migrations that use it; this one only makes room for it (a nullable
-- column without a default: no table rewrite at a million contacts).
alter table crm.contacts add column reading text constraint contacts_reading_check check (length(reading) between 1 and 200);
alter table crm.companies add column reading text constraint companies_reading_check check (length(reading) between 1 and 200);
