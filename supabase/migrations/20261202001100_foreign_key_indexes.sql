-- An index for every foreign key that lacked one (Supabase's linter,
-- unindexed_foreign_keys; test/backend/schema-lint.test.ts keeps it so).
--
-- Why: deleting a referenced row makes PostgreSQL look for the rows that
-- point at it, and a join from the referenced side looks them up the same way;
-- where no index starts with the key's columns, the look-up filters the
-- table's rows instead. Erasing a person (api.contact_erase) deletes contacts
-- and interactions: each deleted row is looked for among follow-ups
-- (source_interaction_id), contacts (merged_into_id), dismissals (contact_b)
-- and channel links, none of which had such an index. The keys to members and
-- workspaces are covered too, for the day one is removed.
-- Each index leads with the key's own columns, in the key's order. Where the
-- referencing column may be null the index is partial: a row that points at
-- nothing is never looked up (a key with a null column is not checked), and
-- PostgreSQL uses the partial index for `col = $1`, which implies not null.
-- Building them takes a lock that holds writes to each table for as long as
-- its build (seconds per million rows).

create index api_tokens_member_idx on crm.api_tokens (workspace_id, member_id);
create index audit_log_actor_idx on crm.audit_log (workspace_id, actor_member_id) where actor_member_id is not null;
create index companies_created_by_idx on crm.companies (workspace_id, created_by) where created_by is not null;
create index contact_emails_ws_contact_idx on crm.contact_emails (workspace_id, contact_id);
create index contacts_created_by_idx on crm.contacts (workspace_id, created_by) where created_by is not null;
create index contacts_merged_into_idx on crm.contacts (workspace_id, merged_into_id) where merged_into_id is not null;
create index duplicate_dismissals_contact_b_idx on crm.duplicate_dismissals (workspace_id, contact_b);
create index duplicate_dismissals_dismissed_by_idx on crm.duplicate_dismissals (workspace_id, dismissed_by) where dismissed_by is not null;
create index follow_ups_source_interaction_idx on crm.follow_ups (workspace_id, source_interaction_id) where source_interaction_id is not null;
create index participants_interaction_idx on crm.interaction_participants (workspace_id, interaction_id);
create index merges_created_by_idx on crm.merges (workspace_id, created_by) where created_by is not null;
create index merges_undone_by_idx on crm.merges (workspace_id, undone_by) where undone_by is not null;
create index segments_created_by_idx on crm.segments (workspace_id, created_by) where created_by is not null;
create index slack_channel_links_company_idx on crm.slack_channel_links (workspace_id, company_id) where company_id is not null;
create index slack_channel_links_contact_idx on crm.slack_channel_links (workspace_id, contact_id) where contact_id is not null;
create index slack_channel_links_linked_by_idx on crm.slack_channel_links (workspace_id, linked_by) where linked_by is not null;
create index slack_events_workspace_idx on crm.slack_events (workspace_id) where workspace_id is not null;
