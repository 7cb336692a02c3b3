/**
 * A recording CardService, generated from @types/google-apps-script's own
 * declarations so that it has exactly the factories, methods and enums the
 * add-on compiles against: an undeclared method is `undefined` (calling it is a
 * TypeError, as in Apps Script), an enum argument outside its enum or a
 * builder of the wrong kind is `Exception: Invalid argument: <param>`.
 *
 * Builders record what they are told and `build()` returns plain data:
 *   CardService.newCardBuilder().setHeader(CardService.newCardHeader().setTitle('Acme'))
 *     .addSection(CardService.newCardSection().addWidget(CardService.newTextParagraph().setText('hi'))).build()
 *   → { type: 'Card', header: { type: 'CardHeader', title: 'Acme' },
 *       sections: [{ type: 'CardSection', widgets: [{ type: 'TextParagraph', text: 'hi' }] }] }
 * setFoo(v) records `foo: v` (setType(v) records e.g. `selectionInputType: v`); addFoo(v) pushes onto `foos` (several parameters
 * record an object keyed by their declared names: addItem(text, value, selected)
 * → items: [{ text, value, selected }]); any other method (Navigation's
 * pushCard, popCard, …) appends to `steps`: [{ action: 'pushCard', card }].
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { exception, toHost, type RealmRef } from './realm.js';

interface Param {
  name: string;
  type: string;
}
interface Method {
  name: string;
  params: Param[];
  returns: string;
}
export interface CardServiceApi {
  /** interface name → its methods */
  interfaces: Map<string, Map<string, Method>>;
  /** enum name → member names */
  enums: Map<string, string[]>;
  /** newX → the interface it returns */
  factories: Map<string, string>;
}

/** Apps Script's limit: a card section holds at most 100 widgets. */
export const MAX_WIDGETS_PER_SECTION = 100;

/** Splits on commas outside braces/brackets: 'a: { [k: string]: string }, b: X' → ['a: { [k: string]: string }', 'b: X']. */
function splitTopLevel(list: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < list.length; i++) {
    const c = list[i];
    if (c === '{' || c === '[' || c === '<') depth++;
    else if (c === '}' || c === ']' || c === '>') depth--;
    else if (c === ',' && depth === 0) parts.push(list.slice(start, i)), (start = i + 1);
  }
  parts.push(list.slice(start));
  return parts.map((p) => p.trim()).filter(Boolean);
}

let cachedApi: CardServiceApi | undefined;

export function cardServiceApi(): CardServiceApi {
  if (cachedApi) return cachedApi;
  const file = createRequire(import.meta.url).resolve('@types/google-apps-script/google-apps-script.card-service.d.ts');
  const text = readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\/\/.*$/gm, '');
  const enums = new Map<string, string[]>();
  for (const m of text.matchAll(/enum (\w+)\s*\{([^}]*)\}/g)) {
    enums.set(
      m[1]!,
      m[2]!
        .split(',')
        .map((s) => s.trim().split(/[\s=]/)[0]!)
        .filter(Boolean),
    );
  }
  const interfaces = new Map<string, Map<string, Method>>();
  for (const m of text.matchAll(/interface (\w+)[^{]*\{/g)) {
    let depth = 1;
    let i = m.index! + m[0].length;
    const from = i;
    for (; depth > 0 && i < text.length; i++) depth += text[i] === '{' ? 1 : text[i] === '}' ? -1 : 0;
    const body = text.slice(from, i - 1).replace(/\s+/g, ' ');
    const methods = new Map<string, Method>();
    for (const mm of body.matchAll(/(\w+)\s*\(([^()]*)\)\s*:\s*([^;]+);/g)) {
      const params = splitTopLevel(mm[2]!).map((p) => {
        const colon = p.indexOf(':');
        return {
          name: p.slice(0, colon).replace('?', '').trim(),
          type: p
            .slice(colon + 1)
            .replace(/\|\s*undefined/g, '')
            .trim(),
        };
      });
      const known = methods.get(mm[1]!);
      if (!known || known.params.length < params.length) methods.set(mm[1]!, { name: mm[1]!, params, returns: mm[3]!.trim() });
    }
    interfaces.set(m[1]!, methods);
  }
  const factories = new Map<string, string>();
  for (const [name, method] of interfaces.get('CardService') ?? []) {
    if (name.startsWith('new')) factories.set(name, method.returns);
  }
  cachedApi = { interfaces, enums, factories };
  return cachedApi;
}

const BUILDER = Symbol('apps-script-fake-builder');

interface BuilderState {
  type: string;
  fields: Record<string, unknown>;
  steps: Record<string, unknown>[];
}

export interface CardServiceFake {
  CardService: Record<string, unknown>;
  /** Every name given to Action.setFunctionName, in order (flagged against the bundle by run-addon's assertActionsExist). */
  functionNames: string[];
  /** The plain data of a builder (as if built), of built data, or of anything holding them. */
  toData(value: unknown): any;
}

const lcfirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
const plural = (s: string) => (s.endsWith('s') ? s : `${s}s`);

export function createCardService(realm: RealmRef): CardServiceFake {
  const api = cardServiceApi();
  const functionNames: string[] = [];

  const stateOf = (v: unknown): BuilderState | undefined =>
    v !== null && (typeof v === 'object' || typeof v === 'function') ? ((v as any)[BUILDER] as BuilderState | undefined) : undefined;

  function dataOf(state: BuilderState, type = state.type): Record<string, unknown> {
    const data: Record<string, unknown> = { type };
    for (const [k, v] of Object.entries(state.fields)) data[k] = toData(v);
    if (state.steps.length) data.steps = toData(state.steps);
    if (state.type === 'CardSection' && Array.isArray(data.widgets) && data.widgets.length > MAX_WIDGETS_PER_SECTION) {
      throw exception(realm.current, `A card section can have at most ${MAX_WIDGETS_PER_SECTION} widgets; this one has ${data.widgets.length}.`);
    }
    Object.defineProperty(data, 'printJson', { value: () => JSON.stringify(data, null, 2), enumerable: false });
    return data;
  }

  function toData(value: unknown): any {
    return toHost(value, (v) => {
      const state = stateOf(v);
      return state ? dataOf(state) : undefined;
    });
  }

  /** Apps Script rejects an argument of the wrong kind where an enum or a CardService object is declared. */
  function check(param: Param, value: unknown) {
    const type = param.type.replace(/\[\]$/, '');
    const invalid = () => exception(realm.current, `Invalid argument: ${param.name}`);
    const members = api.enums.get(type);
    if (members) {
      if (typeof value !== 'string' || !members.includes(value)) throw invalid();
      return;
    }
    if (!api.interfaces.has(type)) return;
    const kind = stateOf(value)?.type ?? (value && typeof value === 'object' ? (value as { type?: unknown }).type : undefined);
    if (typeof kind !== 'string') throw invalid();
    if (type !== 'Widget' && type !== 'Button' && kind !== type) throw invalid();
  }

  function call(state: BuilderState, method: Method, args: unknown[], self: unknown): unknown {
    for (const [i, p] of method.params.entries()) if (i < args.length && !p.type.endsWith('[]')) check(p, args[i]);
    const keep = (v: unknown) => (stateOf(v) ? v : toHost(v)); // builders by reference, as Apps Script; data copied
    const named = () => Object.fromEntries(method.params.map((p, i) => [p.name, keep(args[i])]));
    const name = method.name;
    if (name === 'build') return dataOf(state, method.returns);
    if (name === 'printJson') return JSON.stringify(dataOf(state), null, 2);
    if (/^set[A-Z]/.test(name)) {
      if (name === 'setFunctionName' || name === 'setMethodName') functionNames.push(String(args[0]));
      if (name === 'setParameters') {
        const params = (args[0] ?? {}) as Record<string, unknown>;
        if (Object.values(params).some((v) => typeof v !== 'string')) throw exception(realm.current, 'Invalid argument: parameters (values must be strings)');
      }
      // `type` names the kind of object: setType(SelectionInputType.X) records selectionInputType: 'X'
      const key = lcfirst(name.slice(3)) === 'type' ? lcfirst(method.params[0]?.type ?? 'typeValue') : lcfirst(name.slice(3));
      state.fields[key] = method.params.length > 1 ? named() : keep(args[0]);
      return self;
    }
    if (/^add[A-Z]/.test(name)) {
      const key = plural(lcfirst(name.slice(3)));
      const list = (state.fields[key] ??= []) as unknown[];
      if (method.params.length > 1) list.push(named());
      else if (method.params[0]?.type.endsWith('[]') && Array.isArray(args[0])) list.push(...args[0].map(keep));
      else list.push(keep(args[0]));
      return self;
    }
    state.steps.push({ action: name, ...named() });
    return self;
  }

  function newBuilder(type: string): unknown {
    const methods = api.interfaces.get(type) ?? new Map<string, Method>();
    const state: BuilderState = { type, fields: {}, steps: [] };
    const proxy: unknown = new Proxy(
      {},
      {
        get(_target, prop) {
          if (prop === BUILDER) return state;
          if (prop === Symbol.toStringTag) return type;
          const method = typeof prop === 'string' ? methods.get(prop) : undefined;
          return method ? (...args: unknown[]) => call(state, method, args, proxy) : undefined;
        },
        has: (_target, prop) => prop === BUILDER || (typeof prop === 'string' && methods.has(prop)),
        set: () => false,
      },
    );
    return proxy;
  }

  const CardService: Record<string, unknown> = {};
  for (const [name, type] of api.factories) CardService[name] = () => newBuilder(type);
  // enums as their member names: CardService.TextButtonStyle.FILLED === 'FILLED'
  for (const [name, members] of api.enums) CardService[name] = Object.freeze(Object.fromEntries(members.map((m) => [m, m])));
  return { CardService: Object.freeze(CardService), functionNames, toData };
}
