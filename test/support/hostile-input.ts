import fc from 'fast-check';

/**
 * fast-check generators for bad input, driven by the JSON Schemas of the
 * OpenAPI document (GET /openapi.json, generated from the route
 * declarations): valid-ish values for a documented schema, the same values
 * broken field by field, and hostile values of every
 * kind (wrong types, huge strings, zero-width and right-to-left characters,
 * SQL and HTML fragments, plus-addressed and IDN emails, dates out of range).
 *   fc.sample(validish({ type: 'string', format: 'uuid' }, pools), 1) -> ['8f0c…']
 */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  minimum?: number;
  maximum?: number;
}

/** Real ids to mix into generated uuids, so some requests reach real rows. */
export interface IdPools {
  uuids: string[];
}

export const HOSTILE_TEXT = [
  '',
  ' ',
  '   ',
  '\u0000',
  'a\u0000b',
  '\u200b',
  'zero\u200bwidth\u200d\ufeff',
  '\u202eevil\u202c.exe',
  '\u2066rtl\u2069 \u200f',
  "'; drop table crm.contacts; --",
  "1' or '1'='1",
  '"; select pg_sleep(10); --',
  '$$; $1 %s %n',
  '\\x00\\',
  '%00%27',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '</textarea><b>',
  '<!channel>',
  '<@U123>',
  '@channel',
  '<https://evil.example|click>',
  '&amp;&lt;',
  '*bold* _it_ ~st~ `code`',
  '{{7*7}}',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal text is the attack
  '${process.env}',
  'jane+crm@customer.example',
  'x+y+z@例え.jp',
  'user@xn--r8jz45g.jp',
  'Jane <jane@acme.example>',
  'a@b',
  '@',
  'a@@b.example',
  '9999-12-31T23:59:59Z',
  '0000-01-01T00:00:00Z',
  '1969-12-31T23:59:59Z',
  '2026-02-30T00:00:00Z',
  '2026-11-24',
  '24/11/2026',
  '-1',
  '0',
  'NaN',
  'Infinity',
  '1e309',
  '9007199254740993',
  'true',
  'null',
  '[]',
  '{}',
  '__proto__',
  'constructor',
  '田中',
  '張偉',
  'ｱｲｳ',
  '👩‍👩‍👧‍👦',
  '\ud800',
  'e\u0301\u0301\u0301',
  'Ω≈ç√',
  '\r\n\t',
  '../../etc/passwd',
  'javascript:alert(1)',
];

/** 5,000 to 40,000 characters: longer than every documented limit but the biggest. */
export const hugeString = fc.tuple(fc.integer({ min: 5_000, max: 40_000 }), fc.constantFrom('x', '田', '\u200b', '<', "'")).map(([n, ch]) => ch.repeat(n));

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...HOSTILE_TEXT) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40, unit: 'binary' }) },
  { weight: 1, arbitrary: hugeString },
);

/** JSON nested `depth` levels: {"a":{"a":...}} or [[[...]]]. */
export const deepJson = fc
  .tuple(fc.integer({ min: 50, max: 2_000 }), fc.boolean())
  .map(([depth, arr]) => JSON.parse(arr ? '['.repeat(depth) + ']'.repeat(depth) : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`) as unknown);

/** Any JSON value of the wrong kind somewhere: scalars, arrays, objects, deep nesting. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: hostileString },
  {
    weight: 2,
    arbitrary: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(-1, 0, 1e308, 2 ** 53 + 1)),
  },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.array(fc.oneof(hostileString, fc.integer()), { maxLength: 4 }) },
  {
    weight: 1,
    arbitrary: fc.dictionary(fc.constantFrom('a', '__proto__', 'constructor', '$where', '<b>'), fc.oneof(fc.integer(), fc.string())),
  },
  { weight: 1, arbitrary: deepJson },
);

const jsonType = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v);

/** The JSON types a schema accepts, or undefined when it accepts anything. */
export function allowedTypes(s: JsonSchema): Set<string> | undefined {
  const alts = s.anyOf ?? s.oneOf;
  if (alts) {
    const all = new Set<string>();
    for (const a of alts) {
      const t = allowedTypes(a);
      if (!t) return undefined;
      for (const x of t) all.add(x);
    }
    return all;
  }
  if (s.enum) return new Set(s.enum.map(jsonType));
  if (s.const !== undefined) return new Set([jsonType(s.const)]);
  if (s.type === undefined) return undefined;
  const types = new Set(Array.isArray(s.type) ? s.type : [s.type]);
  if (types.has('number')) types.add('integer');
  return types;
}

/** Values no value of the schema's types can be; undefined when the schema takes anything. */
export function wrongTypeFor(s: JsonSchema): fc.Arbitrary<unknown> | undefined {
  const ok = allowedTypes(s);
  if (!ok) return undefined;
  const pick = hostileValue.filter((v) => !ok.has(jsonType(v)));
  // a string where only an enum or a uuid fits is just as wrong
  if (s.enum && ok.has('string'))
    return fc.oneof(
      pick,
      hostileString.filter((v) => !s.enum!.includes(v)),
    );
  return pick;
}

const realisticText = fc.oneof(
  fc.constantFrom('Jane Doe', '田中 太郎', 'Acme', 'note', 'Zoë Ñúñez', 'Re: pricing', 'x'),
  fc.string({ minLength: 1, maxLength: 30 }),
  hostileString.filter((v) => v.length < 200),
);
const emails = fc.constantFrom(
  'jane@customer.example',
  'jane+crm@customer.example',
  'tarō+tag@例え.jp',
  'a.b+c@xn--r8jz45g.jp',
  'JANE@Customer.Example',
  'bob@gmail.com',
  'zed@sub.domain.example',
  'x@y.co',
);
const MIN_DATE = new Date('1960-01-01T00:00:00Z');
const MAX_DATE = new Date('2300-01-01T00:00:00Z');
const dates = fc.oneof(
  { weight: 8, arbitrary: fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-01-01T00:00:00Z'), noInvalidDate: true }) },
  { weight: 1, arbitrary: fc.date({ min: MIN_DATE, max: MAX_DATE, noInvalidDate: true }) },
);

function stringFor(s: JsonSchema, pools: IdPools): fc.Arbitrary<string> {
  const max = s.maxLength ?? 100;
  const min = s.minLength ?? 0;
  const withinLength = (a: fc.Arbitrary<string>) => a.filter((v) => v.length <= max && v.length >= min && (min === 0 || v.trim() !== ''));
  switch (s.format) {
    case 'uuid':
      return fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...pools.uuids) }, { weight: 1, arbitrary: fc.uuid() });
    case 'email':
      return emails;
    case 'date-time':
      return fc.tuple(dates, fc.constantFrom('Z', '+09:00', '-05:00')).map(([d, z]) => d.toISOString().replace('Z', z));
    case 'date':
      return dates.map((d) => d.toISOString().slice(0, 10));
    case 'uri':
      return fc.constantFrom('https://mail.google.com/mail/u/0/#inbox/abc', 'https://acme.slack.com/archives/C1/p1', 'https://例え.jp/x');
  }
  if (s.pattern) {
    const re = new RegExp(s.pattern, 'u');
    if (re.test('jane@customer.example')) return fc.oneof(emails, withinLength(fc.stringMatching(re)));
    return withinLength(fc.stringMatching(re, { size: 'xsmall' }));
  }
  return withinLength(realisticText);
}

/**
 * Values of a documented schema, mostly valid: "valid-ish" because string
 * contents are hostile and dates range wide, so some get a 4xx.
 */
export function validish(s: JsonSchema, pools: IdPools, depth = 0): fc.Arbitrary<unknown> {
  const alts = s.anyOf ?? s.oneOf;
  if (alts) return fc.oneof(...alts.map((a) => validish(a, pools, depth)));
  if (s.enum) return fc.constantFrom(...s.enum);
  if (s.const !== undefined) return fc.constant(s.const);
  const type = Array.isArray(s.type) ? (s.type.find((t) => t !== 'null') ?? 'null') : s.type;
  switch (type) {
    case 'string':
      return stringFor(s, pools);
    case 'integer':
      return fc.integer({ min: s.minimum ?? -10, max: Math.min(s.maximum ?? 1_000, (s.minimum ?? 0) + 1_000) });
    case 'number':
      return fc.double({ min: s.minimum ?? -1e6, max: s.maximum ?? 1e6, noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(s.items ? validish(s.items, pools, depth + 1) : hostileValue, {
        minLength: s.minItems ?? 0,
        maxLength: Math.max(s.minItems ?? 0, Math.min(s.maxItems ?? 3, 3)),
      });
    case 'object': {
      if (depth > 4) return fc.constant({});
      const props = s.properties ?? {};
      const rec = fc.record(Object.fromEntries(Object.entries(props).map(([k, v]) => [k, validish(v, pools, depth + 1)])), {
        requiredKeys: (s.required ?? []).filter((k) => k in props),
      });
      if (typeof s.additionalProperties === 'object') {
        const keys = s.propertyNames ? stringFor(s.propertyNames, pools) : fc.string({ minLength: 1, maxLength: 10 });
        const extra = fc.dictionary(keys, validish(s.additionalProperties, pools, depth + 1), { maxKeys: 3 });
        return fc.tuple(rec, extra).map(([a, b]) => ({ ...b, ...a }));
      }
      return rec;
    }
  }
  return hostileValue;
}

export interface Broken {
  value: unknown;
  /** how it was broken, and the field a 400's message should name */
  how: string;
  field?: string;
}

/**
 * A value the schema refuses, whatever else it holds: a required field
 * missing, an unknown field, a field of the wrong type, a string over its
 * limit, or not an object at all.
 */
export function broken(s: JsonSchema, pools: IdPools): fc.Arbitrary<Broken> {
  const notObject: fc.Arbitrary<Broken> = fc
    .oneof(fc.constant(null), fc.integer(), fc.array(fc.integer(), { maxLength: 3 }), hostileString, deepJson.filter(Array.isArray))
    .map((value) => ({ value, how: 'not an object' }));
  if (s.type !== 'object' || !s.properties) return notObject;
  const base = validish(s, pools) as fc.Arbitrary<Record<string, unknown>>;
  const options: fc.Arbitrary<Broken>[] = [notObject];
  if (s.additionalProperties === false) {
    options.push(
      fc
        .tuple(base, fc.constantFrom('favouriteColour', 'isAdmin', 'workspaceId_', '__proto__x', '<b>x</b>', 'a b'), hostileValue)
        .map(([v, k, x]) => ({ value: { ...v, [k]: x }, how: 'unknown field', field: k })),
    );
  }
  for (const k of s.required ?? []) {
    options.push(
      base.map((v) => {
        const { [k]: _gone, ...rest } = v;
        return { value: rest, how: 'missing field', field: k };
      }),
    );
  }
  for (const [k, p] of Object.entries(s.properties)) {
    const wrong = wrongTypeFor(p);
    if (wrong) options.push(fc.tuple(base, wrong).map(([v, x]) => ({ value: { ...v, [k]: x }, how: 'wrong type', field: k })));
    if (p.type === 'string' && p.maxLength !== undefined && p.maxLength < 5_000) {
      options.push(fc.tuple(base, hugeString).map(([v, x]) => ({ value: { ...v, [k]: x }, how: 'huge string', field: k })));
    }
  }
  return fc.oneof(...options);
}
