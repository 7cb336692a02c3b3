/**
 * Values crossing between the test (host realm) and the add-on's vm context.
 *
 * An object made by the host's `Error`, `Date` or `Array` fails `instanceof`
 * inside the vm, so what the fakes hand to the add-on is made with the vm's own
 * constructors (toRealm, exception), and what comes back to the test is copied
 * into host objects (toHost) so that `toEqual` compares plain data.
 */
import vm from 'node:vm';

export interface Realm {
  Error: ErrorConstructor;
  TypeError: TypeErrorConstructor;
  Date: DateConstructor;
  Array: ArrayConstructor;
  Object: ObjectConstructor;
}

/** The realm the fakes currently hand values to; run-addon.ts points it at each new context. */
export interface RealmRef {
  current: Realm;
}

export const hostRealm: Realm = { Error, TypeError, Date, Array, Object };

export function realmOf(context: vm.Context): Realm {
  return vm.runInContext('({ Error, TypeError, Date, Array, Object })', context) as Realm;
}

/**
 * An error as Apps Script services throw it: String(e) is 'Exception: <message>'.
 *   String(exception(realm, 'Invalid argument: id')) = 'Exception: Invalid argument: id'
 */
export function exception(realm: Realm, message: string): Error {
  const e = new realm.Error(message);
  e.name = 'Exception';
  return e;
}

function isPlainObject(v: object): boolean {
  if (Object.prototype.toString.call(v) !== '[object Object]') return false;
  const proto = Object.getPrototypeOf(v);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

function isDate(v: object): v is Date {
  return Object.prototype.toString.call(v) === '[object Date]';
}

/** Deep copy of arrays, plain objects and dates into `realm`; functions and other objects (fakes) pass as they are. */
export function toRealm(realm: Realm, value: unknown): any {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return realm.Array.from(value, (v) => toRealm(realm, v));
  if (isDate(value)) return new realm.Date(value.getTime());
  if (!isPlainObject(value)) return value;
  const out = new realm.Object() as Record<string, unknown>;
  for (const [k, v] of Object.entries(value)) out[k] = toRealm(realm, v);
  return out;
}

/**
 * Deep copy into host objects. `special` may claim a value first (the CardService
 * fake uses it to turn builders into their data).
 */
export function toHost(value: unknown, special?: (v: object) => unknown): any {
  if (value === null || typeof value !== 'object') return value;
  const claimed = special?.(value);
  if (claimed !== undefined) return claimed;
  if (Array.isArray(value)) return Array.from(value, (v) => toHost(v, special));
  if (isDate(value)) return new Date(value.getTime());
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = toHost(v, special);
  return out;
}
