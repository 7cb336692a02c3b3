-- Rapport demo workspace ("Rapport Demo").
--
-- What this is: believable B2B sales data for a small team that sells a SaaS
-- product to companies in the US and Japan: 4 members, 6 companies, 14 contacts,
-- 33 interactions (Gmail, Slack, calls, meetings, notes) from the last 30 days,
-- 9 follow-ups (some overdue, some due today, some next week, one done) and a
-- few audit-log entries.
--
-- When it runs: only into an EMPTY database, right after the migrations.
--   * `npm start` (embedded PGlite) loads it when crm.workspaces has no row
--     (backend/db/migrate.ts, seedIfEmpty), wrapped in begin/commit.
--   * `supabase db reset` loads it after supabase/migrations/*.sql.
-- It is plain SQL for PostgreSQL 15 and later, run by the owner of the crm
-- schema (RLS does not apply to it). It is not idempotent: do not run it twice.
--
-- Fixed ids: the workspace and the members have fixed ids so that the README's
-- examples work as written (companies, contacts, interactions and follow-ups
-- have fixed ids too, which keeps this file readable):
--   workspace  00000000-0000-4000-8000-000000000001  Rapport Demo
--   a1 00000000-0000-4000-8000-0000000000a1  admin@rapport-demo.com      Demo Admin (admin)
--   a2 00000000-0000-4000-8000-0000000000a2  hana.mori@rapport-demo.com  森 花 (manager)
--   a3 00000000-0000-4000-8000-0000000000a3  sam.carter@rapport-demo.com Sam Carter (rep, reports to a2)
--   a4 00000000-0000-4000-8000-0000000000a4  kenji.ito@rapport-demo.com  伊藤 健二 (rep, reports to a2)
--   companies ...0000000000b1..b6, contacts ...000000000c01..c14,
--   interactions ...000000000e01..e33, follow-ups ...000000000f01..f09
--
-- Every timestamp is relative to now(), so the demo always looks fresh:
-- "N days ago at HH:MM in <timezone>" or "N hours ago".

-- Workspace ------------------------------------------------------------------

insert into crm.workspaces (id, name, internal_domains, default_timezone, created_at)
values ('00000000-0000-4000-8000-000000000001', 'Rapport Demo', '{rapport-demo.com}', 'Asia/Tokyo',
        now() - interval '420 days');

-- Members ----------------------------------------------------------------------

insert into crm.members (id, workspace_id, email, display_name, role, manager_id, timezone, locale, slack_user_id, created_at)
values
  ('00000000-0000-4000-8000-0000000000a1', '00000000-0000-4000-8000-000000000001',
   'admin@rapport-demo.com', 'Demo Admin', 'admin', null, 'Asia/Tokyo', 'en', null, now() - interval '420 days'),
  ('00000000-0000-4000-8000-0000000000a2', '00000000-0000-4000-8000-000000000001',
   'hana.mori@rapport-demo.com', '森 花', 'manager', null, 'Asia/Tokyo', 'ja', 'U0DEMOHANA', now() - interval '420 days'),
  ('00000000-0000-4000-8000-0000000000a3', '00000000-0000-4000-8000-000000000001',
   'sam.carter@rapport-demo.com', 'Sam Carter', 'rep', '00000000-0000-4000-8000-0000000000a2',
   'America/New_York', 'en', 'U0DEMOSAM', now() - interval '410 days'),
  ('00000000-0000-4000-8000-0000000000a4', '00000000-0000-4000-8000-000000000001',
   'kenji.ito@rapport-demo.com', '伊藤 健二', 'rep', '00000000-0000-4000-8000-0000000000a2',
   'Asia/Tokyo', 'ja', 'U0DEMOKENJI', now() - interval '320 days');

-- Companies --------------------------------------------------------------------

insert into crm.companies (id, workspace_id, name, domain, source, created_by, created_at)
select v.id::uuid, '00000000-0000-4000-8000-000000000001', v.name, v.domain, 'seed', v.created_by::uuid,
       now() - v.age
from (values
  ('00000000-0000-4000-8000-0000000000b1', 'Acme Corp', 'acme.com', '00000000-0000-4000-8000-0000000000a3', interval '400 days'),
  ('00000000-0000-4000-8000-0000000000b2', 'Globex', 'globex.com', '00000000-0000-4000-8000-0000000000a3', interval '21 days'),
  ('00000000-0000-4000-8000-0000000000b3', 'Initech', 'initech.com', '00000000-0000-4000-8000-0000000000a3', interval '400 days'),
  ('00000000-0000-4000-8000-0000000000b4', '株式会社サクラ製作所', 'sakura-mfg.co.jp', '00000000-0000-4000-8000-0000000000a4', interval '300 days'),
  ('00000000-0000-4000-8000-0000000000b5', '東京ロジスティクス株式会社', 'tokyo-logi.co.jp', '00000000-0000-4000-8000-0000000000a4', interval '25 days'),
  ('00000000-0000-4000-8000-0000000000b6', '北斗商事', 'hokuto-trading.jp', '00000000-0000-4000-8000-0000000000a2', interval '14 days')
) v(id, name, domain, created_by, age);

-- Contacts ---------------------------------------------------------------------
-- (last_interaction_at is filled in from the interactions at the end)

insert into crm.contacts (id, workspace_id, name, title, phone, company_id, stage, owner_id, tags, custom,
                          timezone, source, created_by, created_at, updated_at)
select v.id::uuid, '00000000-0000-4000-8000-000000000001', v.name, v.title, v.phone, v.company_id::uuid,
       v.stage, v.owner_id::uuid, v.tags::text[], v.custom::jsonb, v.timezone, 'seed', v.created_by::uuid,
       now() - v.age, now() - v.age
from (values
  ('00000000-0000-4000-8000-000000000c01', 'Jane Doe', 'VP of Operations', '+1 (415) 555-0142',
   '00000000-0000-4000-8000-0000000000b1', 'customer', '00000000-0000-4000-8000-0000000000a3',
   '{vip,renewal}', '{"plan": "Enterprise", "seats": 120, "renewal_month": "March"}', 'America/Los_Angeles',
   '00000000-0000-4000-8000-0000000000a3', interval '400 days'),
  ('00000000-0000-4000-8000-000000000c02', 'Michael Chen', 'IT Director', '+1 (415) 555-0188',
   '00000000-0000-4000-8000-0000000000b1', 'customer', '00000000-0000-4000-8000-0000000000a3',
   '{}', '{}', 'America/Los_Angeles',
   '00000000-0000-4000-8000-0000000000a3', interval '395 days'),
  ('00000000-0000-4000-8000-000000000c03', 'Priya Natarajan', 'Head of Procurement', '+1 (312) 555-0117',
   '00000000-0000-4000-8000-0000000000b2', 'prospect', '00000000-0000-4000-8000-0000000000a3',
   '{}', '{"plan": "Business", "seats": 45}', 'America/Chicago',
   '00000000-0000-4000-8000-0000000000a3', interval '21 days'),
  ('00000000-0000-4000-8000-000000000c04', 'Tom Becker', 'Director of Sales Operations', '+1 (312) 555-0163',
   '00000000-0000-4000-8000-0000000000b2', 'prospect', '00000000-0000-4000-8000-0000000000a3',
   '{}', '{}', 'America/Chicago',
   '00000000-0000-4000-8000-0000000000a3', interval '17 days'),
  ('00000000-0000-4000-8000-000000000c05', 'Lisa Park', 'Finance Manager', '+1 (512) 555-0109',
   '00000000-0000-4000-8000-0000000000b3', 'churned', '00000000-0000-4000-8000-0000000000a3',
   '{}', '{"plan": "Business", "seats": 25, "churn_reason": "budget cuts"}', 'America/Chicago',
   '00000000-0000-4000-8000-0000000000a3', interval '400 days'),
  ('00000000-0000-4000-8000-000000000c06', '田中 太郎', '購買部 部長', '+81 3-6555-0101',
   '00000000-0000-4000-8000-0000000000b4', 'customer', '00000000-0000-4000-8000-0000000000a4',
   '{vip,renewal}', '{"plan": "Enterprise", "seats": 80}', 'Asia/Tokyo',
   '00000000-0000-4000-8000-0000000000a4', interval '300 days'),
  ('00000000-0000-4000-8000-000000000c07', '佐藤 美咲', '情報システム部 課長', '+81 90-5555-1234',
   '00000000-0000-4000-8000-0000000000b4', 'customer', '00000000-0000-4000-8000-0000000000a4',
   '{renewal}', '{}', 'Asia/Tokyo',
   '00000000-0000-4000-8000-0000000000a4', interval '298 days'),
  ('00000000-0000-4000-8000-000000000c08', '山本 浩', '営業企画部 部長', '+81 3-6555-0230',
   '00000000-0000-4000-8000-0000000000b5', 'prospect', '00000000-0000-4000-8000-0000000000a4',
   '{展示会}', '{"lead_source": "Japan IT Week 秋"}', 'Asia/Tokyo',
   '00000000-0000-4000-8000-0000000000a4', interval '25 days'),
  ('00000000-0000-4000-8000-000000000c09', '王 芳', 'DX推進室 マネージャー', '+81 80-5555-0871',
   '00000000-0000-4000-8000-0000000000b5', 'prospect', '00000000-0000-4000-8000-0000000000a4',
   '{展示会}', '{"lead_source": "Japan IT Week 秋"}', 'Asia/Tokyo',
   '00000000-0000-4000-8000-0000000000a4', interval '25 days'),
  ('00000000-0000-4000-8000-000000000c10', '高橋 誠', '代表取締役', '+81 11-555-0312',
   '00000000-0000-4000-8000-0000000000b6', 'lead', '00000000-0000-4000-8000-0000000000a2',
   '{}', '{"lead_source": "website"}', 'Asia/Tokyo',
   '00000000-0000-4000-8000-0000000000a2', interval '14 days'),
  ('00000000-0000-4000-8000-000000000c11', '鈴木 由美', '総務部', '+81 11-555-0318',
   '00000000-0000-4000-8000-0000000000b6', 'lead', '00000000-0000-4000-8000-0000000000a4',
   '{}', '{}', 'Asia/Tokyo',
   '00000000-0000-4000-8000-0000000000a2', interval '13 days'),
  ('00000000-0000-4000-8000-000000000c12', 'Emily Rodriguez', 'Independent RevOps Consultant', '+1 (628) 555-0194',
   null, 'lead', '00000000-0000-4000-8000-0000000000a3',
   '{partner}', '{"referral_fee": "20%"}', 'America/Los_Angeles',
   '00000000-0000-4000-8000-0000000000a3', interval '16 days'),
  ('00000000-0000-4000-8000-000000000c13', 'Daniel Kim', 'VP of Engineering', null,
   '00000000-0000-4000-8000-0000000000b3', 'lead', '00000000-0000-4000-8000-0000000000a3',
   '{win-back}', '{}', 'America/Chicago',
   '00000000-0000-4000-8000-0000000000a3', interval '23 days'),
  ('00000000-0000-4000-8000-000000000c14', 'Kevin O''Brien', 'Procurement Manager', '+1 (415) 555-0121',
   '00000000-0000-4000-8000-0000000000b1', 'customer', '00000000-0000-4000-8000-0000000000a3',
   '{}', '{}', 'America/Los_Angeles',
   '00000000-0000-4000-8000-0000000000a3', interval '60 days')
) v(id, name, title, phone, company_id, stage, owner_id, tags, custom, timezone, created_by, age);

-- One row per address; the first one is primary. 田中 太郎 has two addresses,
-- Jane Doe has an alias (used by her Slack profile), Emily is on Gmail.
insert into crm.contact_emails (workspace_id, contact_id, email, is_primary)
select '00000000-0000-4000-8000-000000000001', v.contact_id::uuid, v.email, v.is_primary
from (values
  ('00000000-0000-4000-8000-000000000c01', 'jane@acme.com', true),
  ('00000000-0000-4000-8000-000000000c01', 'jane.doe@acme.com', false),
  ('00000000-0000-4000-8000-000000000c02', 'michael.chen@acme.com', true),
  ('00000000-0000-4000-8000-000000000c03', 'priya.n@globex.com', true),
  ('00000000-0000-4000-8000-000000000c04', 'tom.becker@globex.com', true),
  ('00000000-0000-4000-8000-000000000c05', 'lisa.park@initech.com', true),
  ('00000000-0000-4000-8000-000000000c06', 'tanaka@sakura-mfg.co.jp', true),
  ('00000000-0000-4000-8000-000000000c06', 't-tanaka@sakura-mfg.co.jp', false),
  ('00000000-0000-4000-8000-000000000c07', 'sato.misaki@sakura-mfg.co.jp', true),
  ('00000000-0000-4000-8000-000000000c08', 'yamamoto@tokyo-logi.co.jp', true),
  ('00000000-0000-4000-8000-000000000c09', 'wang.fang@tokyo-logi.co.jp', true),
  ('00000000-0000-4000-8000-000000000c10', 'takahashi@hokuto-trading.jp', true),
  ('00000000-0000-4000-8000-000000000c11', 'suzuki.yumi@hokuto-trading.jp', true),
  ('00000000-0000-4000-8000-000000000c12', 'emily.rodriguez@gmail.com', true),
  ('00000000-0000-4000-8000-000000000c13', 'dkim@initech.com', true),
  ('00000000-0000-4000-8000-000000000c14', 'kevin.obrien@acme.com', true)
) v(contact_id, email, is_primary);

-- Interactions -----------------------------------------------------------------
-- occurred_at: `rel` ago when given, else `days_ago` days before today at
-- `local_time` in `tz` (always in the past). Email external ids are RFC 822
-- Message-IDs; Slack ones are team:channel:ts with ts taken from occurred_at.
-- dedupe_key is computed by crm.dedupe_key, exactly as capture does it.

insert into crm.interactions (id, workspace_id, kind, direction, occurred_at, subject, body, source, external_id,
                              dedupe_key, thread_key, url, visibility, author_id, created_at)
select v.id::uuid, '00000000-0000-4000-8000-000000000001', v.kind, v.direction, t.at, v.subject, v.body, v.source,
       x.external_id, crm.dedupe_key(v.kind, v.source, x.external_id), v.thread_key,
       case
         when v.source = 'gmail' then 'https://mail.google.com/mail/u/0/#all/' || v.thread_key
         when v.source = 'slack' then 'https://rapport-demo.slack.com/archives/' || split_part(v.ext, ':', 2)
                                      || '/p' || replace(split_part(x.external_id, ':', 3), '.', '')
       end,
       v.visibility, v.author_id::uuid, t.at + interval '1 minute'
from (values
  -- Acme Corp: renewal, 120 -> 150 seats (Sam)
  ('00000000-0000-4000-8000-000000000e01', 'email', 'inbound', 26, '09:12:00', 'America/Los_Angeles', null::interval,
   'Renewal planning for next year',
   'Hi Sam,

Our current agreement ends on March 31 and finance wants to lock next year''s budget by the end of next month. A few things on our side:

- We''re at 120 seats today and expect the Denver team (about 30 people) to come on board in Q2.
- Michael''s team needs SAML SSO enforced for everyone before we expand.
- Kevin in procurement will own the paperwork this year.

Could you put together renewal options for 120 and 150 seats?

Thanks,
Jane

Jane Doe | VP of Operations | Acme Corp',
   'gmail', '<CAJx7Qm3pVt2bR9kLw+YhE1dNq0s=8uZ@mail.gmail.com>', '18c1a0f2e4b7d301', 'workspace',
   '00000000-0000-4000-8000-0000000000a3'),
  ('00000000-0000-4000-8000-000000000e02', 'email', 'outbound', 25, '10:40:00', 'America/New_York', null,
   'Re: Renewal planning for next year',
   'Hi Jane,

Thanks for the early heads-up - that makes this much easier.

I''ll send two options (120 and 150 seats, with the extra 30 seats prorated from when Denver starts) by next week. SAML SSO enforcement is included in the Enterprise plan, so Michael''s requirement is covered; happy to set up a short session with our solutions team to walk through it.

Kevin, good to meet you. I''ll include our standard order form and the security package (SOC 2 Type II report, DPA) so procurement has everything in one place.

Best,
Sam',
   'gmail', '<CAH4mZ8dWq1Lr7xTb3nFvK0pYc2eJ5sA@mail.gmail.com>', '18c1a0f2e4b7d301', 'workspace',
   '00000000-0000-4000-8000-0000000000a3'),
  ('00000000-0000-4000-8000-000000000e03', 'meeting', 'outbound', 18, '18:30:00', 'America/New_York', null,
   'Acme x Rapport - quarterly business review',
   'Attendees: Jane Doe, Michael Chen (Acme); Sam Carter, Hana Mori (Rapport)

- Adoption: 112 of 120 seats active in the last 30 days; the ops team logs ~900 interactions a week.
- Michael: SSO enforcement and SCIM provisioning are must-haves before the Denver rollout.
- Jane wants a renewal proposal covering 150 seats; decision by the end of the month.
- Risk: the CFO is reviewing all SaaS spend, expect pushback on price.

Next steps: Sam sends the proposal; Hana joins the pricing call.',
   'manual', null, null, 'workspace', '00000000-0000-4000-8000-0000000000a3'),
  ('00000000-0000-4000-8000-000000000e04', 'email', 'inbound', 12, '11:05:00', 'America/Los_Angeles', null,
   'Vendor security questionnaire - Rapport',
   'Hi Sam,

As part of our renewal process every vendor completes our annual security questionnaire (attached). Could you return it by the 20th? If you already have a SIG Lite or CAIQ, that works too.

Thanks,
Kevin O''Brien
Procurement Manager, Acme Corp',
   'gmail', '<CAPk2Nf8sXy4Qw6uHt1ZrB7mLc9vJ3eD@mail.gmail.com>', '18c3e5a9b1f4c702', 'workspace',
   '00000000-0000-4000-8000-0000000000a3'),
  ('00000000-0000-4000-8000-000000000e05', 'slack', 'inbound', 6, '14:22:41.003100', 'America/Los_Angeles', null,
   null,
   'Hey Sam, quick one: if Denver starts May 1, can the extra 30 seats be co-termed with the main contract? Finance is asking.',
   'slack', 'T0DEMO:C0DEMOACME', null, 'workspace', '00000000-0000-4000-8000-0000000000a3'),
  ('00000000-0000-4000-8000-000000000e06', 'slack', 'outbound', 6, '17:48:05.000200', 'America/New_York', null,
   null,
   '<@U0ACMEJANE> Yes, we''ll co-term them to March 31 and prorate. I''ll reflect that in the revised quote.',
   'slack', 'T0DEMO:C0DEMOACME', null, 'workspace', '00000000-0000-4000-8000-0000000000a3'),
  ('00000000-0000-4000-8000-000000000e07', 'note', 'internal', 5, '16:30:00', 'America/New_York', null,
   'Acme renewal - deal notes',
   'Jane hinted the CFO wants 10% off or a 3-year term. Kevin is pushing for a multi-year discount. Our floor is 8% for a 3-year commit - confirm with Hana before quoting. Keep this within the deal team.',
   'manual', null, null, 'private', '00000000-0000-4000-8000-0000000000a3'),
  ('00000000-0000-4000-8000-000000000e08', 'email', 'outbound', 0, null, 'America/New_York', interval '3 hours',
   'Revised renewal quote - 150 seats, co-termed',
   'Hi Jane,

Attached is the revised quote:
- 150 seats on the Enterprise plan for the next 12-month term
- The 30 Denver seats start May 1, prorated and co-termed to March 31
- SSO enforcement and SCIM provisioning included

Happy to walk through it on a call this week.

Best,
Sam',
   'gmail', '<CAH4mZ8fRt5Kp2xNw7bQyL3dVe9sU1cA@mail.gmail.com>', '18c4b2d7e9a1f803', 'workspace',
   '00000000-0000-4000-8000-0000000000a3'),

  -- Globex: new prospect, pilot under security review (Sam)
  ('00000000-0000-4000-8000-000000000e09', 'email', 'inbound', 20, '10:02:00', 'America/Chicago', null,
   'Globex evaluating CRM tools for our sales ops team',
   'Hello Sam,

I lead procurement at Globex. Our sales operations team (about 45 people across Chicago and Austin) is evaluating lighter-weight CRM tools that work inside Gmail and Slack. A colleague at Acme recommended Rapport.

Could we set up a 30-minute intro call next week? Tom Becker, our Director of Sales Operations, will join later in the process.

Best regards,
Priya Natarajan
Head of Procurement | Globex',
   'gmail', '<SN6PR11MB34218C1F2D0E9B7A4C6D3E5FA2B1@SN6PR11MB3421.namprd11.prod.outlook.com>', '18c2c7d1a3e5f904',
   'workspace', '00000000-0000-4000-8000-0000000000a3'),
  ('00000000-0000-4000-8000-000000000e10', 'call', 'outbound', 17, '11:00:00', 'America/Chicago', null,
   'Discovery call - Globex',
   '30 min with Priya.
- Today: spreadsheets plus Salesforce for a subset of the team; reps hate double entry.
- Must-haves: Gmail capture, shared follow-ups, manager visibility.
- Budget is approved for this fiscal year if a pilot succeeds. Tom (Sales Ops) decides, Priya runs the process.
- Next: demo for Tom''s team.',
   'manual', null, null, 'workspace', '00000000-0000-4000-8000-0000000000a3'),
  ('00000000-0000-4000-8000-000000000e11', 'meeting', 'outbound', 10, '14:00:00', 'America/Chicago', null,
   'Rapport demo for Globex Sales Ops',
   'Zoom, 45 min, with Priya and Tom.
Tom liked the Slack follow-up digest and the Gmail side panel.
Questions: data residency (US only), SOC 2 report, SSO with Okta.
Agreed on a 4-week pilot with 10 reps if the security review passes.',
   'manual', null, null, 'workspace', '00000000-0000-4000-8000-0000000000a3'),
  ('00000000-0000-4000-8000-000000000e12', 'email', 'outbound', 9, '09:30:00', 'America/New_York', null,
   'Follow-up: demo recording and pilot proposal',
   'Hi Priya, Tom,

Thanks again for your time yesterday. As promised:
- the demo recording (link valid for 30 days)
- the pilot proposal: 10 reps, 4 weeks, no charge, success criteria agreed upfront
- our security package: SOC 2 Type II report and DPA

Would a kickoff on Monday the week after next work for you?

Best,
Sam',
   'gmail', '<CAH4mZ8gNc6Wb3yPq8sKxT2fLr0dE4vB@mail.gmail.com>', '18c3a9f0c2d4e605', 'workspace',
   '00000000-0000-4000-8000-0000000000a3'),
  ('00000000-0000-4000-8000-000000000e13', 'email', 'inbound', 2, '16:45:00', 'America/Chicago', null,
   'RE: Follow-up: demo recording and pilot proposal',
   'Sam,

Security has reviewed the SOC 2 report. Two open questions, on sub-processors and on data retention; their notes are attached. Once those are answered we are good to start the pilot.

Tom Becker
Director, Sales Operations | Globex',
   'gmail', '<SN6PR11MB3421D4B7A2C9E1F08C5B6A7E3D9@SN6PR11MB3421.namprd11.prod.outlook.com>', '18c3a9f0c2d4e605',
   'workspace', '00000000-0000-4000-8000-0000000000a3'),

  -- Initech: churned; a new VP of Engineering may bring them back (Sam)
  ('00000000-0000-4000-8000-000000000e14', 'email', 'inbound', 28, '15:20:00', 'America/Chicago', null,
   'Initech subscription - notice of non-renewal',
   'Hi Sam,

Following our budget review, we have decided not to renew our Rapport subscription when the current term ends at the end of this month. This is purely a budget decision; the team liked the product.

Please let me know what we need to do to export our data.

Regards,
Lisa Park
Finance Manager, Initech',
   'gmail', '<CAM9dR2pKx7Vn4Bq1Yw6sTz3Lf8Hc5Ej@mail.gmail.com>', '18c0f3b8d2a6e106', 'workspace',
   '00000000-0000-4000-8000-0000000000a3'),
  ('00000000-0000-4000-8000-000000000e15', 'email', 'outbound', 22, '10:15:00', 'America/New_York', null,
   'Congrats on the new role at Initech',
   'Hi Daniel,

Congratulations on joining Initech as VP of Engineering!

Initech''s sales team used Rapport until recently. If getting engineering and sales to share customer context is on your list, I''d love to compare notes.

Best,
Sam',
   'gmail', '<CAH4mZ8hLp7Ds4zRt9uMyV3gNs1fF5wC@mail.gmail.com>', '18c1d6e2f8b3a407', 'workspace',
   '00000000-0000-4000-8000-0000000000a3'),
  ('00000000-0000-4000-8000-000000000e16', 'email', 'inbound', 4, '13:10:00', 'America/Chicago', null,
   'Re: Congrats on the new role at Initech',
   'Thanks Sam! We''re in Q1 planning until the middle of next month. Let''s talk after that; sales tooling is definitely on my list.

Daniel',
   'gmail', '<CAN3qW7bYt2Kd8Fx5Hs1Pm6Rv9Lc4Gz@mail.gmail.com>', '18c1d6e2f8b3a407', 'workspace',
   '00000000-0000-4000-8000-0000000000a3'),

  -- Emily Rodriguez: independent consultant on Gmail, possible referral partner (Sam)
  ('00000000-0000-4000-8000-000000000e17', 'email', 'inbound', 15, '08:50:00', 'America/Los_Angeles', null,
   'Referral partnership?',
   'Hi Sam,

I''m an independent RevOps consultant working mostly with Series A-C SaaS companies. Several of my clients are looking for a CRM that doesn''t need a full-time admin. Do you have a referral or partner program?

Emily Rodriguez',
   'gmail', '<CADz8Tq4Wm1Xn6Ry3Ks7Bv2Lh9Pf5Jc@mail.gmail.com>', '18c2e9a4b6c8d208', 'workspace',
   '00000000-0000-4000-8000-0000000000a3'),
  ('00000000-0000-4000-8000-000000000e18', 'call', 'outbound', 8, '15:00:00', 'America/New_York', null,
   'Call with Emily - partner program',
   'Emily has 6-8 active clients, typically 10-40 reps each. Interested in a 20% referral fee; wants a co-branded onboarding guide. Send the partner one-pager and the draft agreement.',
   'manual', null, null, 'workspace', '00000000-0000-4000-8000-0000000000a3'),

  -- 株式会社サクラ製作所: 80 -> 200 licences, SSO rollout (Kenji)
  ('00000000-0000-4000-8000-000000000e19', 'email', 'inbound', 27, '09:40:00', 'Asia/Tokyo', null,
   '来期のライセンス追加について',
   '伊藤様

いつもお世話になっております。サクラ製作所の田中です。

来期より生産管理部でもRapportを利用したく、現在の80ライセンスから200ライセンスへの追加を検討しております。
つきましては、以下についてご教示いただけますでしょうか。

・200ライセンスでの年間費用
・請求書払い（月末締め翌月末払い）への対応可否
・導入時のオンボーディング支援の内容

お手数ですが、よろしくお願いいたします。

株式会社サクラ製作所
購買部 部長 田中 太郎',
   'gmail', '<a3f9c1e2-7b4d-4e8a-9c21-5d6e7f8a9b01@sakura-mfg.co.jp>', '18c0e1c5a7b9d309', 'workspace',
   '00000000-0000-4000-8000-0000000000a4'),
  ('00000000-0000-4000-8000-000000000e20', 'email', 'outbound', 26, '14:20:00', 'Asia/Tokyo', null,
   'Re: 来期のライセンス追加について',
   '田中様

いつもお世話になっております。Rapportの伊藤です。
ライセンス追加のご相談、誠にありがとうございます。

ご質問の件、以下の通り回答いたします。
・費用：200ライセンスの場合、ボリュームディスカウントを適用したお見積りをお出しします。
・請求書払い：対応可能です（月末締め翌月末払い）。
・オンボーディング：新規部署向けに2回のオンライン研修を無償で実施いたします。

来週の定例にて詳細をご説明させてください。
（cc：情報システム部 佐藤様、弊社マネージャー 森）

引き続きよろしくお願いいたします。
伊藤 健二',
   'gmail', '<CAK7vN2xRq9Ld4Yb8Ws3Hm1Tf6Pz0Ge@mail.gmail.com>', '18c0e1c5a7b9d309', 'workspace',
   '00000000-0000-4000-8000-0000000000a4'),
  ('00000000-0000-4000-8000-000000000e21', 'meeting', 'outbound', 19, '15:00:00', 'Asia/Tokyo', null,
   '定例ミーティング（サクラ製作所様 訪問）',
   '参加者：田中部長、佐藤課長（サクラ製作所）／森、伊藤（Rapport）

・生産管理部（約120名）への展開を来期4月から開始したい
・展開前にSSO（Entra ID）連携が必須 → 佐藤様と設定手順を確認
・200ライセンスで年間予算内に収めたい。正式見積りは月内に提出
・次回：見積り提示、SSO設定支援',
   'manual', null, null, 'workspace', '00000000-0000-4000-8000-0000000000a4'),
  ('00000000-0000-4000-8000-000000000e22', 'email', 'inbound', 11, '10:25:00', 'Asia/Tokyo', null,
   'SSO設定に関するご質問',
   '伊藤様

お世話になっております。サクラ製作所 情報システム部の佐藤です。

先日お話のあったSSO連携について、Entra ID（旧Azure AD）側の設定を進めております。
SAMLの応答URLとエンティティIDには何を設定すればよいでしょうか。
また、テスト用に一部のユーザーだけ先行して有効化することは可能でしょうか。

よろしくお願いいたします。
佐藤 美咲',
   'gmail', '<b71e4d2a-9c3f-4a8b-b6d5-2e1f0a9c8d73@sakura-mfg.co.jp>', '18c3c2e8f1a5b710', 'workspace',
   '00000000-0000-4000-8000-0000000000a4'),
  ('00000000-0000-4000-8000-000000000e23', 'email', 'outbound', 10, '11:30:00', 'Asia/Tokyo', null,
   'Re: SSO設定に関するご質問',
   '佐藤様

お世話になっております。Rapportの伊藤です。

設定値は管理画面の「設定 > SSO」に表示されている応答URLとエンティティIDをそのままご利用ください。
手順書を添付いたしましたのでご確認ください。
また、グループ単位での先行有効化が可能です。まずは情報システム部のみで検証いただくのがおすすめです。

ご不明点があればお気軽にご連絡ください。
伊藤',
   'gmail', '<CAK7vN2yTs4Mf8Zc1Xq6Jn3Ug7Rb2Hd@mail.gmail.com>', '18c3c2e8f1a5b710', 'workspace',
   '00000000-0000-4000-8000-0000000000a4'),
  ('00000000-0000-4000-8000-000000000e24', 'email', 'inbound', 3, '17:05:00', 'Asia/Tokyo', null,
   '見積書送付のお願い',
   '伊藤様

お世話になっております。田中です。
社内稟議にかけるため、200ライセンス（年間契約）の正式なお見積書を今週中にお送りいただけますでしょうか。
宛名は「株式会社サクラ製作所 購買部」でお願いいたします。

よろしくお願いいたします。
田中',
   'gmail', '<5c8d2e1f-3a7b-4f9c-8e6d-1b2a3c4d5e6f@sakura-mfg.co.jp>', '18c4a1d3e5f7b911', 'workspace',
   '00000000-0000-4000-8000-0000000000a4'),
  ('00000000-0000-4000-8000-000000000e25', 'slack', 'inbound', 1, '16:12:09.002300', 'Asia/Tokyo', null,
   null,
   'SSOの設定、情報システム部のメンバーで無事ログインできました！手順書がとても分かりやすかったです。ありがとうございます。',
   'slack', 'T0DEMO:C0DEMOSAKURA', null, 'workspace', '00000000-0000-4000-8000-0000000000a4'),
  ('00000000-0000-4000-8000-000000000e26', 'slack', 'outbound', 1, '16:30:44.000900', 'Asia/Tokyo', null,
   null,
   '<@U0SAKURASATO> よかったです！生産管理部への展開時も同じ手順で大丈夫です。何かあればこちらでお声がけください。',
   'slack', 'T0DEMO:C0DEMOSAKURA', null, 'workspace', '00000000-0000-4000-8000-0000000000a4'),

  -- 東京ロジスティクス株式会社: met at a trade show, demo done, PoC next (Kenji)
  ('00000000-0000-4000-8000-000000000e27', 'note', 'internal', 24, '18:10:00', 'Asia/Tokyo', null,
   'Japan IT Week 秋 名刺交換',
   '展示会ブースで山本部長・王さんと名刺交換。配送管理チーム（約60名）の顧客対応履歴がメールと電話に分散しているのが課題。社内はSlack利用中。来月オンラインデモ希望。',
   'manual', null, null, 'workspace', '00000000-0000-4000-8000-0000000000a4'),
  ('00000000-0000-4000-8000-000000000e28', 'email', 'outbound', 23, '10:05:00', 'Asia/Tokyo', null,
   '先日の展示会のお礼（Rapport 伊藤）',
   '東京ロジスティクス株式会社
山本様

先日はJapan IT Weekの弊社ブースにお立ち寄りいただき、誠にありがとうございました。Rapportの伊藤です。

お話しいただいた「顧客対応履歴がメールと電話に分散している」という課題について、RapportではGmail・Slackのやり取りを顧客ごとに自動で集約できます。
製品資料を添付いたしますので、ご覧いただけますと幸いです。

王様にもccにて失礼いたします。
ご都合のよい日程でオンラインデモを実施できればと存じます。

伊藤 健二',
   'gmail', '<CAK7vN2zUp5Ng9Ad2Yr7Ko4Vh8Sc3Je@mail.gmail.com>', '18c1b4e6a8c0d512', 'workspace',
   '00000000-0000-4000-8000-0000000000a4'),
  ('00000000-0000-4000-8000-000000000e29', 'email', 'inbound', 16, '13:40:00', 'Asia/Tokyo', null,
   'デモのご依頼',
   '伊藤様

お世話になっております。東京ロジスティクス DX推進室の王です。
先日は資料をお送りいただきありがとうございました。

社内で検討した結果、配送管理チームのリーダー数名を交えてオンラインデモをお願いしたく存じます。
来週の火曜または木曜の午後はいかがでしょうか。

よろしくお願いいたします。
王 芳',
   'gmail', '<CAFw3Lk8Qn2Xs7Pd4Vt9Bz1Hy6Rm5Ca@mail.gmail.com>', '18c2f7c9e1a3b613', 'workspace',
   '00000000-0000-4000-8000-0000000000a4'),
  ('00000000-0000-4000-8000-000000000e30', 'meeting', 'outbound', 7, '14:00:00', 'Asia/Tokyo', null,
   'Rapport オンラインデモ（東京ロジスティクス様）',
   '参加者：山本部長、王さん、配送管理チームリーダー3名／伊藤
・Gmail連携とSlackからのフォローアップ登録が好評
・懸念：既存の配送管理システムとのAPI連携、データの国内保管
・PoC（2週間・10ユーザー）を希望 → 環境準備を進める',
   'manual', null, null, 'workspace', '00000000-0000-4000-8000-0000000000a4'),

  -- 北斗商事: inbound lead from the website (Hana, handed over to Kenji)
  ('00000000-0000-4000-8000-000000000e31', 'call', 'inbound', 13, '11:20:00', 'Asia/Tokyo', null,
   '問い合わせ電話（北斗商事 高橋様）',
   'Webサイト経由でお電話。営業8名の小規模チームで、顧客管理はExcel。価格と導入期間を知りたいとのこと。資料送付を約束。今後の担当は伊藤さんに引き継ぎ予定。',
   'manual', null, null, 'workspace', '00000000-0000-4000-8000-0000000000a2'),
  ('00000000-0000-4000-8000-000000000e32', 'email', 'outbound', 12, '09:45:00', 'Asia/Tokyo', null,
   '【Rapport】資料送付の件',
   '北斗商事
代表取締役 高橋様

昨日はお電話ありがとうございました。Rapportの森でございます。
ご依頼の製品資料と料金表を添付にてお送りいたします。

小規模チーム向けに14日間の無料トライアルもご用意しております。
今後のご案内は担当の伊藤（cc）からさせていただきます。

何卒よろしくお願い申し上げます。
森 花',
   'gmail', '<CAMh5Rj9Wt3Yb8Ne2Qs6Lx1Fk4Dp7Gv@mail.gmail.com>', '18c3b0d2f4a6c814', 'workspace',
   '00000000-0000-4000-8000-0000000000a2'),
  ('00000000-0000-4000-8000-000000000e33', 'email', 'inbound', 1, '10:15:00', 'Asia/Tokyo', null,
   'トライアルのお申し込み',
   '伊藤様

北斗商事 総務部の鈴木です。
高橋より、無料トライアルを申し込むよう指示がありました。
営業メンバー8名分のアカウント発行をお願いできますでしょうか。

よろしくお願いいたします。
鈴木 由美',
   'gmail', '<CAGp6Sk0Xu4Zc9Of3Rt7My2Gl5Eq8Hw@mail.gmail.com>', '18c4c3e5a7b9d015', 'workspace',
   '00000000-0000-4000-8000-0000000000a4')
) v(id, kind, direction, days_ago, local_time, tz, rel, subject, body, source, ext, thread_key, visibility, author_id)
cross join lateral (
  select coalesce(now() - v.rel,
                  (date_trunc('day', now() at time zone v.tz) - v.days_ago * interval '1 day' + v.local_time::time)
                    at time zone v.tz) as at
) t
cross join lateral (
  select case
           when v.kind = 'slack' then v.ext || ':' || to_char(extract(epoch from t.at), 'FM9999999999.000000')
           else coalesce(v.ext, v.id)  -- manual entries: the client's own id
         end as external_id
) x;

-- Participants -----------------------------------------------------------------
-- What the source said (address lower-cased, Slack id, display name), matched to
-- the contact owning the address or the member with that address / Slack id,
-- with occurred_at copied from the interaction. Notes name the contacts they are
-- about as 'mention' (their author is the interaction's author_id).

insert into crm.interaction_participants (workspace_id, interaction_id, occurred_at, role, address, slack_user_id,
                                          display_name, contact_id, member_id)
select i.workspace_id, i.id, i.occurred_at, v.role, lower(v.address), v.slack_user_id, v.display_name,
       (select e.contact_id from crm.contact_emails e
         where e.workspace_id = i.workspace_id and lower(e.email) = lower(v.address)),
       (select m.id from crm.members m
         where m.workspace_id = i.workspace_id
           and (lower(m.email) = lower(v.address) or m.slack_user_id = v.slack_user_id)
         order by (lower(m.email) = lower(v.address)) desc limit 1)
from (
  select v.*, row_number() over () as n
  from (values
    ('00000000-0000-4000-8000-000000000e01', 'from', 'Jane@Acme.com', null, 'Jane Doe'),
    ('00000000-0000-4000-8000-000000000e01', 'to', 'sam.carter@rapport-demo.com', null, 'Sam Carter'),
    ('00000000-0000-4000-8000-000000000e01', 'cc', 'michael.chen@acme.com', null, 'Michael Chen'),
    ('00000000-0000-4000-8000-000000000e02', 'from', 'sam.carter@rapport-demo.com', null, 'Sam Carter'),
    ('00000000-0000-4000-8000-000000000e02', 'to', 'jane@acme.com', null, 'Jane Doe'),
    ('00000000-0000-4000-8000-000000000e02', 'cc', 'michael.chen@acme.com', null, 'Michael Chen'),
    ('00000000-0000-4000-8000-000000000e02', 'cc', 'kevin.obrien@acme.com', null, 'Kevin O''Brien'),
    ('00000000-0000-4000-8000-000000000e03', 'from', 'sam.carter@rapport-demo.com', null, 'Sam Carter'),
    ('00000000-0000-4000-8000-000000000e03', 'to', 'jane@acme.com', null, 'Jane Doe'),
    ('00000000-0000-4000-8000-000000000e03', 'to', 'michael.chen@acme.com', null, 'Michael Chen'),
    ('00000000-0000-4000-8000-000000000e03', 'cc', 'hana.mori@rapport-demo.com', null, '森 花'),
    ('00000000-0000-4000-8000-000000000e04', 'from', 'kevin.obrien@acme.com', null, 'Kevin O''Brien'),
    ('00000000-0000-4000-8000-000000000e04', 'to', 'sam.carter@rapport-demo.com', null, 'Sam Carter'),
    ('00000000-0000-4000-8000-000000000e05', 'author', 'jane.doe@acme.com', 'U0ACMEJANE', 'Jane Doe (Acme)'),
    ('00000000-0000-4000-8000-000000000e06', 'author', 'sam.carter@rapport-demo.com', 'U0DEMOSAM', 'Sam Carter'),
    ('00000000-0000-4000-8000-000000000e06', 'mention', 'jane.doe@acme.com', 'U0ACMEJANE', 'Jane Doe (Acme)'),
    ('00000000-0000-4000-8000-000000000e07', 'mention', 'jane@acme.com', null, 'Jane Doe'),
    ('00000000-0000-4000-8000-000000000e07', 'mention', 'kevin.obrien@acme.com', null, 'Kevin O''Brien'),
    ('00000000-0000-4000-8000-000000000e08', 'from', 'sam.carter@rapport-demo.com', null, 'Sam Carter'),
    ('00000000-0000-4000-8000-000000000e08', 'to', 'jane@acme.com', null, 'Jane Doe'),
    ('00000000-0000-4000-8000-000000000e08', 'cc', 'kevin.obrien@acme.com', null, 'Kevin O''Brien'),
    ('00000000-0000-4000-8000-000000000e09', 'from', 'Priya.N@globex.com', null, 'Priya Natarajan'),
    ('00000000-0000-4000-8000-000000000e09', 'to', 'sam.carter@rapport-demo.com', null, 'Sam Carter'),
    ('00000000-0000-4000-8000-000000000e10', 'from', 'sam.carter@rapport-demo.com', null, 'Sam Carter'),
    ('00000000-0000-4000-8000-000000000e10', 'to', 'priya.n@globex.com', null, 'Priya Natarajan'),
    ('00000000-0000-4000-8000-000000000e11', 'from', 'sam.carter@rapport-demo.com', null, 'Sam Carter'),
    ('00000000-0000-4000-8000-000000000e11', 'to', 'priya.n@globex.com', null, 'Priya Natarajan'),
    ('00000000-0000-4000-8000-000000000e11', 'to', 'tom.becker@globex.com', null, 'Tom Becker'),
    ('00000000-0000-4000-8000-000000000e12', 'from', 'sam.carter@rapport-demo.com', null, 'Sam Carter'),
    ('00000000-0000-4000-8000-000000000e12', 'to', 'priya.n@globex.com', null, 'Priya Natarajan'),
    ('00000000-0000-4000-8000-000000000e12', 'to', 'tom.becker@globex.com', null, 'Tom Becker'),
    ('00000000-0000-4000-8000-000000000e13', 'from', 'Tom.Becker@globex.com', null, 'Becker, Tom'),
    ('00000000-0000-4000-8000-000000000e13', 'to', 'sam.carter@rapport-demo.com', null, 'Sam Carter'),
    ('00000000-0000-4000-8000-000000000e13', 'cc', 'priya.n@globex.com', null, 'Natarajan, Priya'),
    ('00000000-0000-4000-8000-000000000e14', 'from', 'lisa.park@initech.com', null, 'Lisa Park'),
    ('00000000-0000-4000-8000-000000000e14', 'to', 'sam.carter@rapport-demo.com', null, 'Sam Carter'),
    ('00000000-0000-4000-8000-000000000e15', 'from', 'sam.carter@rapport-demo.com', null, 'Sam Carter'),
    ('00000000-0000-4000-8000-000000000e15', 'to', 'dkim@initech.com', null, 'Daniel Kim'),
    ('00000000-0000-4000-8000-000000000e16', 'from', 'dkim@initech.com', null, 'Daniel Kim'),
    ('00000000-0000-4000-8000-000000000e16', 'to', 'sam.carter@rapport-demo.com', null, 'Sam Carter'),
    ('00000000-0000-4000-8000-000000000e17', 'from', 'emily.rodriguez@gmail.com', null, 'Emily Rodriguez'),
    ('00000000-0000-4000-8000-000000000e17', 'to', 'sam.carter@rapport-demo.com', null, 'Sam Carter'),
    ('00000000-0000-4000-8000-000000000e18', 'from', 'sam.carter@rapport-demo.com', null, 'Sam Carter'),
    ('00000000-0000-4000-8000-000000000e18', 'to', 'emily.rodriguez@gmail.com', null, 'Emily Rodriguez'),
    ('00000000-0000-4000-8000-000000000e19', 'from', 'tanaka@sakura-mfg.co.jp', null, '田中 太郎'),
    ('00000000-0000-4000-8000-000000000e19', 'to', 'kenji.ito@rapport-demo.com', null, '伊藤 健二'),
    ('00000000-0000-4000-8000-000000000e20', 'from', 'kenji.ito@rapport-demo.com', null, '伊藤 健二'),
    ('00000000-0000-4000-8000-000000000e20', 'to', 'tanaka@sakura-mfg.co.jp', null, '田中 太郎'),
    ('00000000-0000-4000-8000-000000000e20', 'cc', 'sato.misaki@sakura-mfg.co.jp', null, '佐藤 美咲'),
    ('00000000-0000-4000-8000-000000000e20', 'cc', 'hana.mori@rapport-demo.com', null, '森 花'),
    ('00000000-0000-4000-8000-000000000e21', 'from', 'kenji.ito@rapport-demo.com', null, '伊藤 健二'),
    ('00000000-0000-4000-8000-000000000e21', 'to', 'tanaka@sakura-mfg.co.jp', null, '田中 太郎'),
    ('00000000-0000-4000-8000-000000000e21', 'to', 'sato.misaki@sakura-mfg.co.jp', null, '佐藤 美咲'),
    ('00000000-0000-4000-8000-000000000e21', 'cc', 'hana.mori@rapport-demo.com', null, '森 花'),
    ('00000000-0000-4000-8000-000000000e22', 'from', 'sato.misaki@sakura-mfg.co.jp', null, '佐藤 美咲'),
    ('00000000-0000-4000-8000-000000000e22', 'to', 'kenji.ito@rapport-demo.com', null, '伊藤 健二'),
    ('00000000-0000-4000-8000-000000000e23', 'from', 'kenji.ito@rapport-demo.com', null, '伊藤 健二'),
    ('00000000-0000-4000-8000-000000000e23', 'to', 'sato.misaki@sakura-mfg.co.jp', null, '佐藤 美咲'),
    ('00000000-0000-4000-8000-000000000e24', 'from', 'T-Tanaka@sakura-mfg.co.jp', null, '田中 太郎'),
    ('00000000-0000-4000-8000-000000000e24', 'to', 'kenji.ito@rapport-demo.com', null, '伊藤 健二'),
    ('00000000-0000-4000-8000-000000000e25', 'author', 'sato.misaki@sakura-mfg.co.jp', 'U0SAKURASATO', '佐藤 美咲（サクラ製作所）'),
    ('00000000-0000-4000-8000-000000000e26', 'author', 'kenji.ito@rapport-demo.com', 'U0DEMOKENJI', '伊藤 健二'),
    ('00000000-0000-4000-8000-000000000e26', 'mention', 'sato.misaki@sakura-mfg.co.jp', 'U0SAKURASATO', '佐藤 美咲（サクラ製作所）'),
    ('00000000-0000-4000-8000-000000000e27', 'mention', 'yamamoto@tokyo-logi.co.jp', null, '山本 浩'),
    ('00000000-0000-4000-8000-000000000e27', 'mention', 'wang.fang@tokyo-logi.co.jp', null, '王 芳'),
    ('00000000-0000-4000-8000-000000000e28', 'from', 'kenji.ito@rapport-demo.com', null, '伊藤 健二'),
    ('00000000-0000-4000-8000-000000000e28', 'to', 'yamamoto@tokyo-logi.co.jp', null, '山本 浩'),
    ('00000000-0000-4000-8000-000000000e28', 'cc', 'wang.fang@tokyo-logi.co.jp', null, '王 芳'),
    ('00000000-0000-4000-8000-000000000e29', 'from', 'wang.fang@tokyo-logi.co.jp', null, '王 芳 (Wang Fang)'),
    ('00000000-0000-4000-8000-000000000e29', 'to', 'kenji.ito@rapport-demo.com', null, '伊藤 健二'),
    ('00000000-0000-4000-8000-000000000e29', 'cc', 'yamamoto@tokyo-logi.co.jp', null, '山本 浩'),
    ('00000000-0000-4000-8000-000000000e30', 'from', 'kenji.ito@rapport-demo.com', null, '伊藤 健二'),
    ('00000000-0000-4000-8000-000000000e30', 'to', 'wang.fang@tokyo-logi.co.jp', null, '王 芳'),
    ('00000000-0000-4000-8000-000000000e30', 'to', 'yamamoto@tokyo-logi.co.jp', null, '山本 浩'),
    ('00000000-0000-4000-8000-000000000e31', 'from', 'takahashi@hokuto-trading.jp', null, '高橋 誠'),
    ('00000000-0000-4000-8000-000000000e31', 'to', 'hana.mori@rapport-demo.com', null, '森 花'),
    ('00000000-0000-4000-8000-000000000e32', 'from', 'hana.mori@rapport-demo.com', null, '森 花'),
    ('00000000-0000-4000-8000-000000000e32', 'to', 'takahashi@hokuto-trading.jp', null, '高橋 誠'),
    ('00000000-0000-4000-8000-000000000e32', 'cc', 'suzuki.yumi@hokuto-trading.jp', null, '鈴木 由美'),
    ('00000000-0000-4000-8000-000000000e32', 'cc', 'kenji.ito@rapport-demo.com', null, '伊藤 健二'),
    ('00000000-0000-4000-8000-000000000e33', 'from', 'suzuki.yumi@hokuto-trading.jp', null, '鈴木 由美'),
    ('00000000-0000-4000-8000-000000000e33', 'to', 'kenji.ito@rapport-demo.com', null, '伊藤 健二')
  ) v(interaction_id, role, address, slack_user_id, display_name)
) v
join crm.interactions i on i.id = v.interaction_id::uuid
order by v.n;

-- Follow-ups -------------------------------------------------------------------
-- due: `due_days` days from today (negative = overdue) at `due_time` in `tz`.
-- created_at: a few minutes after the interaction that prompted it.

insert into crm.follow_ups (id, workspace_id, contact_id, owner_id, due_at, note, status, source_interaction_id,
                            created_by, created_at, completed_at, completed_by)
select v.id::uuid, '00000000-0000-4000-8000-000000000001', v.contact_id::uuid, v.owner_id::uuid,
       (date_trunc('day', now() at time zone v.tz) + v.due_days * interval '1 day' + v.due_time::time) at time zone v.tz,
       v.note, v.status, i.id, v.owner_id::uuid, i.occurred_at + interval '12 minutes',
       case when v.status = 'done' then i.occurred_at + v.done_after end,
       case when v.status = 'done' then v.owner_id::uuid end
from (values
  -- overdue
  ('00000000-0000-4000-8000-000000000f01', '00000000-0000-4000-8000-000000000c14', '00000000-0000-4000-8000-0000000000a3',
   -1, '17:00', 'America/New_York', 'Return the Acme vendor security questionnaire to Kevin (procurement deadline)',
   'open', '00000000-0000-4000-8000-000000000e04', null::interval),
  ('00000000-0000-4000-8000-000000000f02', '00000000-0000-4000-8000-000000000c12', '00000000-0000-4000-8000-0000000000a3',
   -3, '12:00', 'America/New_York', 'Send Emily the partner one-pager and the draft referral agreement',
   'open', '00000000-0000-4000-8000-000000000e18', null),
  ('00000000-0000-4000-8000-000000000f03', '00000000-0000-4000-8000-000000000c10', '00000000-0000-4000-8000-0000000000a2',
   -3, '10:00', 'Asia/Tokyo', '北斗商事様の訪問日程を調整する（伊藤さん同行）',
   'open', '00000000-0000-4000-8000-000000000e31', null),
  ('00000000-0000-4000-8000-000000000f04', '00000000-0000-4000-8000-000000000c11', '00000000-0000-4000-8000-0000000000a4',
   -1, '18:00', 'Asia/Tokyo', 'トライアルアカウント（営業8名分）を発行して鈴木様に連絡',
   'open', '00000000-0000-4000-8000-000000000e33', null),
  -- due today
  ('00000000-0000-4000-8000-000000000f05', '00000000-0000-4000-8000-000000000c04', '00000000-0000-4000-8000-0000000000a3',
   0, '18:00', 'America/New_York', 'Answer Globex security''s questions (sub-processors, data retention) and confirm the pilot kickoff',
   'open', '00000000-0000-4000-8000-000000000e13', null),
  ('00000000-0000-4000-8000-000000000f06', '00000000-0000-4000-8000-000000000c06', '00000000-0000-4000-8000-0000000000a4',
   0, '18:00', 'Asia/Tokyo', '200ライセンスの正式見積書を送付（宛名：株式会社サクラ製作所 購買部）',
   'open', '00000000-0000-4000-8000-000000000e24', null),
  -- next week
  ('00000000-0000-4000-8000-000000000f07', '00000000-0000-4000-8000-000000000c09', '00000000-0000-4000-8000-0000000000a4',
   7, '10:00', 'Asia/Tokyo', 'PoC環境（10ユーザー・2週間）を準備し、王様にアカウント情報を送付',
   'open', '00000000-0000-4000-8000-000000000e30', null),
  ('00000000-0000-4000-8000-000000000f08', '00000000-0000-4000-8000-000000000c13', '00000000-0000-4000-8000-0000000000a3',
   9, '10:00', 'America/New_York', 'Reconnect with Daniel once Initech''s Q1 planning is done',
   'open', '00000000-0000-4000-8000-000000000e16', null),
  -- done
  ('00000000-0000-4000-8000-000000000f09', '00000000-0000-4000-8000-000000000c07', '00000000-0000-4000-8000-0000000000a4',
   -10, '18:00', 'Asia/Tokyo', 'SSO設定手順書を佐藤様に送付',
   'done', '00000000-0000-4000-8000-000000000e22', interval '1 day 1 hour 5 minutes')
) v(id, contact_id, owner_id, due_days, due_time, tz, note, status, source_interaction_id, done_after)
join crm.interactions i on i.id = v.source_interaction_id::uuid;

-- Stage changes after the first contact ---------------------------------------

update crm.contacts set updated_at = (select occurred_at + interval '1 hour' from crm.interactions
                                      where id = '00000000-0000-4000-8000-000000000e14')
 where id = '00000000-0000-4000-8000-000000000c05';
update crm.contacts set updated_at = (select occurred_at + interval '2 hours' from crm.interactions
                                      where id = '00000000-0000-4000-8000-000000000e29')
 where id in ('00000000-0000-4000-8000-000000000c08', '00000000-0000-4000-8000-000000000c09');

-- Each contact's latest interaction -----------------------------------------

update crm.contacts c set last_interaction_at = x.at
from (select contact_id, max(occurred_at) as at
        from crm.interaction_participants
       where workspace_id = '00000000-0000-4000-8000-000000000001' and contact_id is not null
       group by contact_id) x
where c.workspace_id = '00000000-0000-4000-8000-000000000001' and c.id = x.contact_id;

-- Audit log ----------------------------------------------------------------------
-- Each contact's creation (as it was then), and the stage changes above, in the
-- shape api.contact_update writes (only the keys that changed).

insert into crm.audit_log (workspace_id, actor_member_id, source, entity_type, entity_id, action, before, after, at)
select c.workspace_id, c.created_by, 'seed', 'contact', c.id, 'create', null,
       crm.contact_json(c) || jsonb_build_object(
         'stage', case c.id when '00000000-0000-4000-8000-000000000c05' then 'customer'
                            when '00000000-0000-4000-8000-000000000c08' then 'lead'
                            when '00000000-0000-4000-8000-000000000c09' then 'lead'
                            else c.stage end,
         'lastInteractionAt', null,
         'updatedAt', c.created_at),
       c.created_at
from crm.contacts c
where c.workspace_id = '00000000-0000-4000-8000-000000000001'
order by c.created_at, c.id;

insert into crm.audit_log (workspace_id, actor_member_id, source, entity_type, entity_id, action, before, after, at)
select c.workspace_id, c.owner_id, 'seed', 'contact', c.id, 'update',
       jsonb_build_object('stage', v.before_stage), jsonb_build_object('stage', c.stage), c.updated_at
from (values
  ('00000000-0000-4000-8000-000000000c05', 'customer'),
  ('00000000-0000-4000-8000-000000000c08', 'lead'),
  ('00000000-0000-4000-8000-000000000c09', 'lead')
) v(contact_id, before_stage)
join crm.contacts c on c.id = v.contact_id::uuid
order by c.updated_at, c.id;
