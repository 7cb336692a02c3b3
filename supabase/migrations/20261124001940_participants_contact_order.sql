-- A contact's timeline reads its participant rows newest first and, within one
-- instant, by interaction id descending (the order of its cursor keys). The
-- index had the id ascending, so a page sorted every row of the contact before
-- taking 50 (0.6 ms for a contact with 5,000 interactions); this one is in the
-- page's own order, so the page stops after ~50 entries.
create index participants_contact_order_idx on crm.interaction_participants
  (workspace_id, contact_id, occurred_at desc, interaction_id desc) where contact_id is not null;
drop index crm.participants_contact_idx;
