-- Readings, part 2 (issue 21): the keys that search and sort by a reading.
--
-- crm.kana_fold: a reading as search compares it: NFKC (half-width ﾀﾅｶ is
--   タナカ, full-width ｔａｎａｋａ is tanaka), lower case, no spaces, katakana
--   as hiragana.   crm.kana_fold('ﾀﾅｶ ﾀﾛｳ') = 'たなかたろう'
-- crm.kana_romaji: hiragana in Hepburn romaji as people type it on a
--   keyboard (ou kept, っ doubling, ゃゅょ digraphs, ー the vowel before it).
--   crm.kana_romaji('とうきょう') = 'toukyou'
-- crm.reading_key: what a search pattern is matched against: the folded
--   reading, and for kana its romaji twice, with the long vowels as typed and
--   without them, space separated (a folded query holds no space, so no match
--   spans two forms). 'たなか たろう' gives 'たなかたろう tanakatarou tanakataro':
--   たなか, タナカ, tanaka, 'tanaka tarou' and 'tanaka taro' all find it. A
--   pinyin reading ('wang wei', 'Wáng Wěi') gives 'wangwei' ('wang wei' folds
--   to it).
-- sort_key (a column): the order of lists for a reader of Japanese or
--   Chinese: crm.kana_fold of the reading; a contact or company without one
--   sorts by its name folded the same way (katakana as hiragana). In code order (the
--   databases here are C.UTF-8, as name order already assumes): Latin names
--   and pinyin readings (a-z) first, mixed together, then kana readings in
--   五十音順 (hiragana's code order is the gojūon order, a voiced kana right
--   after its plain one), then names in kanji that have no reading, in code
--   order.
--
-- Both keys are stored generated columns (reading_key, sort_key), as name_key
-- is: computing romaji in plpgsql is too slow to repeat for every row a search
-- walks or an index recheck reads, and a list in reading order must read its
-- key straight from an index (with an indexed expression, a ja reader's first
-- page of 50,000 contacts took 700 ms). Adding them rewrites the tables once.
-- sort_key is crm.kana_fold written out in built-in functions, and reading_key
-- is null without a reading: a row without one (most) calls no plpgsql
-- function for them on write (a 100,000-row import pays for every call).
-- The search indexes are partial: only the rows that have a reading.
--
-- reading_computed: the reading was made by the server (pinyin for a Chinese
-- writer), not given: when the name changes it is made again; a typed or
-- imported one is kept. Default false, so readings written by an import or an
-- older writer count as given (a constant default: no table rewrite).

create function crm.kana_fold(t text) returns text
  language plpgsql immutable parallel safe
  set search_path = pg_catalog
as $$begin
  return translate(lower(regexp_replace(normalize(coalesce(t, ''), NFKC), '\s+', '', 'g')),
    'ァアィイゥウェエォオカガキギクグケゲコゴサザシジスズセゼソゾタダチヂッツヅテデトドナニヌネノハバパヒビピフブプヘベペホボポマミムメモャヤュユョヨラリルレロヮワヰヱヲンヴヵヶ',
    'ぁあぃいぅうぇえぉおかがきぎくぐけげこごさざしじすずせぜそぞただちぢっつづてでとどなにぬねのはばぱひびぴふぶぷへべぺほぼぽまみむめもゃやゅゆょよらりるれろゎわゐゑをんゔゕゖ');
end$$;

create function crm.kana_romaji(k text) returns text
  language plpgsql immutable parallel safe
  set search_path = pg_catalog
as $$
declare
  m constant jsonb := '{"あ":"a","い":"i","う":"u","え":"e","お":"o","か":"ka","き":"ki","く":"ku","け":"ke","こ":"ko","が":"ga","ぎ":"gi","ぐ":"gu","げ":"ge","ご":"go","さ":"sa","し":"shi","す":"su","せ":"se","そ":"so","ざ":"za","じ":"ji","ず":"zu","ぜ":"ze","ぞ":"zo","た":"ta","ち":"chi","つ":"tsu","て":"te","と":"to","だ":"da","ぢ":"ji","づ":"zu","で":"de","ど":"do","な":"na","に":"ni","ぬ":"nu","ね":"ne","の":"no","は":"ha","ひ":"hi","ふ":"fu","へ":"he","ほ":"ho","ば":"ba","び":"bi","ぶ":"bu","べ":"be","ぼ":"bo","ぱ":"pa","ぴ":"pi","ぷ":"pu","ぺ":"pe","ぽ":"po","ま":"ma","み":"mi","む":"mu","め":"me","も":"mo","や":"ya","ゆ":"yu","よ":"yo","ら":"ra","り":"ri","る":"ru","れ":"re","ろ":"ro","わ":"wa","ゐ":"i","ゑ":"e","を":"o","ん":"n","ゔ":"vu","ぁ":"a","ぃ":"i","ぅ":"u","ぇ":"e","ぉ":"o","ゃ":"ya","ゅ":"yu","ょ":"yo","ゎ":"wa","ゕ":"ka","ゖ":"ke"}';
  chars text[] := string_to_array(coalesce(k, ''), null);
  n int := coalesce(array_length(chars, 1), 0);
  i int := 1;
  c text;
  nx text;
  r text;
  out text := '';
  doubled boolean := false;
begin
  while i <= n loop
    c := chars[i];
    nx := case when i < n then chars[i + 1] end;
    if c = 'っ' then
      doubled := true;
    else
      r := m ->> c;
      if r is null then
        -- ー lengthens the vowel before it; anything else (letters, digits) stays
        r := case when c = 'ー' then case when right(out, 1) in ('a', 'i', 'u', 'e', 'o') then right(out, 1) else '' end else c end;
      elsif nx in ('ゃ', 'ゅ', 'ょ') and length(r) >= 2 and right(r, 1) = 'i' then
        r := case when r in ('shi', 'chi', 'ji') then left(r, -1) else left(r, -1) || 'y' end
          || case nx when 'ゃ' then 'a' when 'ゅ' then 'u' else 'o' end;
        i := i + 1;
      end if;
      if doubled then
        r := case when r like 'ch%' then 't' || r when r ~ '^[bcdfghjkmpqrstvwxz]' then left(r, 1) || r else r end;
        doubled := false;
      end if;
      out := out || r;
    end if;
    i := i + 1;
  end loop;
  return out;
end$$;

create function crm.reading_key(reading text) returns text
  language plpgsql immutable parallel safe
  set search_path = pg_catalog
as $$
declare
  k text := nullif(crm.kana_fold(reading), '');
  r text;
begin
  if k is null then
    return null;
  end if;
  if k ~ '[ぁ-ゖ]' then
    r := crm.kana_romaji(k);
    return k || ' ' || r || ' ' || regexp_replace(regexp_replace(r, '([aeiu])\1', '\1', 'g'), 'o[ou]', 'o', 'g');
  end if;
  -- pinyin: without tone marks (Wáng Wěi is wangwei), and ü also as v (lü: lu, lv)
  r := normalize(regexp_replace(normalize(k, NFD), '[\u0300-\u036f]', '', 'g'), NFC);
  return case when k like '%ü%' then r || ' ' || replace(k, 'ü', 'v') else r end;
end$$;


revoke execute on function crm.kana_fold(text), crm.kana_romaji(text), crm.reading_key(text) from public;
grant execute on function crm.kana_fold(text), crm.kana_romaji(text), crm.reading_key(text) to service_role;

alter table crm.contacts add column reading_computed boolean not null default false,
  add column reading_key text generated always as (case when reading is not null then crm.reading_key(reading) end) stored,
  add column sort_key text generated always as (translate(lower(regexp_replace(normalize(coalesce(reading, name), NFKC), '\s+', '', 'g')),
    'ァアィイゥウェエォオカガキギクグケゲコゴサザシジスズセゼソゾタダチヂッツヅテデトドナニヌネノハバパヒビピフブプヘベペホボポマミムメモャヤュユョヨラリルレロヮワヰヱヲンヴヵヶ',
    'ぁあぃいぅうぇえぉおかがきぎくぐけげこごさざしじすずせぜそぞただちぢっつづてでとどなにぬねのはばぱひびぴふぶぷへべぺほぼぽまみむめもゃやゅゆょよらりるれろゎわゐゑをんゔゕゖ')) stored;
alter table crm.companies add column reading_computed boolean not null default false,
  add column reading_key text generated always as (case when reading is not null then crm.reading_key(reading) end) stored,
  add column sort_key text generated always as (translate(lower(regexp_replace(normalize(coalesce(reading, name), NFKC), '\s+', '', 'g')),
    'ァアィイゥウェエォオカガキギクグケゲコゴサザシジスズセゼソゾタダチヂッツヅテデトドナニヌネノハバパヒビピフブプヘベペホボポマミムメモャヤュユョヨラリルレロヮワヰヱヲンヴヵヶ',
    'ぁあぃいぅうぇえぉおかがきぎくぐけげこごさざしじすずせぜそぞただちぢっつづてでとどなにぬねのはばぱひびぴふぶぷへべぺほぼぽまみむめもゃやゅゆょよらりるれろゎわゐゑをんゔゕゖ')) stored;

-- Search: the few rows with a reading, by trigram (a Latin query of 3 letters
-- or more: romaji, pinyin) and by CJK grams (kana). Where btree_gin is
-- loaded (PostgreSQL, Supabase: see 20261124001920_search_walk_first), the
-- trigram indexes lead with the workspace, as contacts_ws_name_trgm does:
-- across all workspaces, kobayashi's trigrams matched 9,645 readings at scale 1
-- to recheck for the 974 of one workspace (6 ms), and the planner intersected
-- them with the workspace's 100,000 entries of the name index (13 ms).
create index contacts_reading_trgm on crm.contacts using gin (reading_key extensions.gin_trgm_ops)
  where reading_key is not null and merged_into_id is null;
create index contacts_reading_grams on crm.contacts using gin (crm.cjk_grams(workspace_id, reading_key))
  where reading_key is not null and merged_into_id is null;
create index companies_reading_trgm on crm.companies using gin (reading_key extensions.gin_trgm_ops)
  where reading_key is not null and merged_into_id is null;
create index companies_reading_grams on crm.companies using gin (crm.cjk_grams(workspace_id, reading_key))
  where reading_key is not null and merged_into_id is null;

do $$
begin
  if exists (select 1 from pg_extension where extname = 'btree_gin') then
    drop index crm.contacts_reading_trgm;
    drop index crm.companies_reading_trgm;
    create index contacts_reading_trgm on crm.contacts using gin (workspace_id, reading_key extensions.gin_trgm_ops)
      where reading_key is not null and merged_into_id is null;
    create index companies_reading_trgm on crm.companies using gin (workspace_id, reading_key extensions.gin_trgm_ops)
      where reading_key is not null and merged_into_id is null;
  end if;
end
$$;

-- Order: a ja or zh reader's first page is the head of this index.
create index contacts_reading_order_idx on crm.contacts (workspace_id, sort_key, id)
  where merged_into_id is null;
create index companies_reading_order_idx on crm.companies (workspace_id, sort_key, id)
  where merged_into_id is null;

-- Whether any contact with a reading sorts before a name (contacts_list: a
-- search's page bounded by its 200th name match skips the readings if none).
create index contacts_reading_name_idx on crm.contacts (workspace_id, name_key)
  where reading_key is not null and merged_into_id is null;
