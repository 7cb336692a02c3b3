/**
 * Runs the built add-on bundle the way Apps Script does: in a V8 context whose
 * only globals are the Apps Script fakes (no require, process, fetch, setTimeout,
 * URL, TextEncoder…), every trigger or action in a fresh execution (the bundle's
 * top level runs again; properties and caches persist, the Gmail per-message
 * token does not), calling a top-level function by name with an event object.
 *
 * Example:
 *   const addon = loadAddon({ fetcher: backend.fetcher, identityToken: backend.idToken('sam.carter@rapport-demo.com'),
 *     gmail: fakeGmail({ messages: [msg] }), scriptProperties: { RAPPORT_API_URL: backend.url } })
 *   const card = addon.call('onGmailMessageOpen', gmailEvent({ messageId: msg.id, threadId: msg.threadId }))
 *   addon.assertActionsExist(card)
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { createAppsScriptFakes, type AppsScriptFakeOptions, type AppsScriptFakes } from './apps-script-fakes.js';
import type { GmailFixtures } from './gmail-fake.js';
import { realmOf, toRealm } from './realm.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');

export interface LoadAddonOptions extends AppsScriptFakeOptions {
  /** relative to the repository root; default gmail-addon/dist/Code.js */
  codePath?: string;
  /** the bundle's source, instead of codePath */
  code?: string;
}

export interface LoadedAddon {
  /** Runs top-level function `fnName` with `event` in a fresh execution and returns its result as plain data. */
  call(fnName: string, event?: unknown): any;
  fakes: AppsScriptFakes;
  /** names of the functions the bundle declares at top level (what Apps Script can call) */
  topLevelFunctions: string[];
  /** Throws unless every Action's functionName in `data` is a top-level function of the bundle. */
  assertActionsExist(data: unknown): void;
  /** names ever given to Action.setFunctionName that the bundle does not declare at top level */
  missingActionFunctions(): string[];
}

export function loadAddon(options: LoadAddonOptions = {}): LoadedAddon {
  const filename = path.resolve(ROOT, options.codePath ?? 'gmail-addon/dist/Code.js');
  const code = options.code ?? readFileSync(filename, 'utf8');
  const script = new vm.Script(code, { filename: options.code ? 'Code.js' : filename });
  const fakes = createAppsScriptFakes(options);
  const fakeNames = new Set(Object.keys(fakes.globals));

  function execution() {
    const sandbox: Record<string, unknown> = { ...fakes.globals };
    const context = vm.createContext(sandbox, { name: 'Apps Script' });
    fakes.realm.current = realmOf(context);
    fakes.startExecution();
    script.runInContext(context);
    return sandbox;
  }

  const loaded = execution();
  const topLevelFunctions = Object.getOwnPropertyNames(loaded).filter((n) => !fakeNames.has(n) && typeof loaded[n] === 'function');

  function functionNamesIn(data: unknown, into: string[] = []): string[] {
    if (Array.isArray(data)) for (const d of data) functionNamesIn(d, into);
    else if (data && typeof data === 'object') {
      for (const [k, v] of Object.entries(data)) {
        if (k === 'functionName' && typeof v === 'string') into.push(v);
        else functionNamesIn(v, into);
      }
    }
    return into;
  }

  return {
    fakes,
    topLevelFunctions,
    call(fnName, event = {}) {
      const sandbox = execution();
      const fn = sandbox[fnName];
      if (typeof fn !== 'function' || fakeNames.has(fnName)) throw new Error(`Script function not found: ${fnName}`);
      const violations = fakes.recorded.violations.length;
      let result: unknown;
      let thrown: { error: unknown } | undefined;
      try {
        result = (fn as (e: unknown) => unknown)(toRealm(fakes.realm.current, event));
      } catch (error) {
        thrown = { error };
      }
      // a broken rule fails the test even when the add-on caught what it threw
      const broken = fakes.recorded.violations.slice(violations);
      if (broken.length) throw new Error(broken.join('\n'));
      if (thrown) throw thrown.error;
      return fakes.toData(result);
    },
    assertActionsExist(data) {
      const missing = [...new Set(functionNamesIn(fakes.toData(data)))].filter((n) => !topLevelFunctions.includes(n));
      if (missing.length) {
        throw new Error(`actions name functions the bundle does not declare at top level: ${missing.join(', ')} (top level: ${topLevelFunctions.join(', ')})`);
      }
    },
    missingActionFunctions: () => [...new Set(fakes.recorded.functionNames)].filter((n) => !topLevelFunctions.includes(n)),
  };
}

type FormValue = string | string[] | Date | { dateTime: Date } | { hours: number; minutes: number };

export interface GmailEventOptions {
  messageId: string;
  /** taken from `gmail` fixtures when omitted */
  threadId?: string;
  gmail?: GmailFixtures;
  accessToken?: string;
  /** commonEventObject.userLocale; default 'ja' */
  userLocale?: string;
  /** IANA id; default 'Asia/Tokyo' */
  timeZone?: string;
  platform?: 'WEB' | 'IOS' | 'ANDROID';
  /** Action.setParameters values (strings) */
  parameters?: Record<string, string>;
  /** text inputs and selections: string or string[]; DatePicker: Date; DateTimePicker: { dateTime }; TimePicker: { hours, minutes } */
  formInputs?: Record<string, FormValue>;
}

/** Offset of `timeZone` from UTC at `at`, in milliseconds: tzOffsetMs('Asia/Tokyo') = 32400000. */
export function tzOffsetMs(timeZone: string, at = new Date()): number {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
      .formatToParts(at)
      .map((x) => [x.type, Number(x.value)]),
  ) as Record<string, number>;
  return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour! % 24, p.minute!, p.second!) - Math.floor(at.getTime() / 1000) * 1000;
}

/**
 * The event object Gmail passes to a contextual trigger or an action callback
 * (developers.google.com/workspace/add-ons/concepts/event-objects): the
 * commonEventObject, the `gmail` object, and the deprecated Gmail add-on fields
 * (messageMetadata, clientPlatform, formInput, formInputs, parameters,
 * userLocale, userTimezone). `parameters` and `formInputs` appear only when given.
 *   gmailEvent({ messageId: 'm1', threadId: 't1', formInputs: { note: 'hi' } }).commonEventObject.formInputs
 *   → { note: { stringInputs: { value: ['hi'] } } }
 */
export function gmailEvent(opts: GmailEventOptions) {
  const threadId = opts.threadId ?? opts.gmail?.messages.find((m) => m.id === opts.messageId)?.threadId;
  if (!threadId) throw new Error(`gmailEvent: no threadId for message ${opts.messageId}`);
  const accessToken = opts.accessToken ?? 'harness-gmail-access-token';
  const userLocale = opts.userLocale ?? 'ja';
  const tz = opts.timeZone ?? 'Asia/Tokyo';
  const offset = String(tzOffsetMs(tz));
  const platform = opts.platform ?? 'WEB';

  const common: Record<string, unknown> = { hostApp: 'GMAIL', platform, userLocale, timeZone: { id: tz, offset } };
  const legacy: Record<string, unknown> = {};
  if (opts.parameters) {
    common.parameters = { ...opts.parameters };
    legacy.parameters = { ...opts.parameters };
  }
  if (opts.formInputs) {
    const inputs: Record<string, unknown> = {};
    const formInput: Record<string, string> = {};
    const formInputs: Record<string, string[]> = {};
    for (const [name, v] of Object.entries(opts.formInputs)) {
      if (typeof v === 'string' || Array.isArray(v)) {
        const value = typeof v === 'string' ? [v] : [...v];
        inputs[name] = { stringInputs: { value } };
        // the deprecated fields hold text values only; pickers are in commonEventObject alone
        formInputs[name] = value;
        if (value.length) formInput[name] = value[0]!;
      } else if (v instanceof Date) inputs[name] = { dateInput: { msSinceEpoch: String(v.getTime()) } };
      else if ('dateTime' in v) inputs[name] = { dateTimeInput: { hasDate: true, hasTime: true, msSinceEpoch: String(v.dateTime.getTime()) } };
      else inputs[name] = { timeInput: { hours: v.hours, minutes: v.minutes } };
    }
    common.formInputs = inputs;
    legacy.formInput = formInput;
    legacy.formInputs = formInputs;
  }
  return {
    commonEventObject: common,
    gmail: { messageId: opts.messageId, threadId, accessToken },
    messageMetadata: { messageId: opts.messageId, accessToken },
    clientPlatform: platform.toLowerCase(),
    userLocale: userLocale.split('-')[0]!,
    userTimezone: { id: tz, offset },
    ...legacy,
  };
}
