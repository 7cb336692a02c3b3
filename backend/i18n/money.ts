/**
 * Amounts of money as the three surfaces show and take them. A deal's amount
 * is stored as an integer in its currency's minor units (ISO 4217: USD 123.45
 * is 12345, JPY 5,000 is 5000, KWD 1.250 is 1250) and never converted: sums
 * are per currency. Pure (no Node API, no package), like vocabulary.ts: the
 * add-on's Apps Script bundle imports it too.
 */
import { INTL_LOCALE, type Locale } from './vocabulary.js';

/** ISO 4217 minor-unit digits that are not 2. Every other code has 2. */
const EXPONENTS: Record<string, number> = {
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
  CLF: 4,
  UYW: 4,
};

/** Currencies offered first in pickers: the ones these teams sell in most. */
export const COMMON_CURRENCIES = ['USD', 'JPY', 'CNY', 'EUR', 'GBP', 'HKD', 'SGD', 'TWD', 'KRW', 'AUD'] as const;

/** A syntactically valid currency code: three capital letters. */
export function isCurrencyCode(code: string): boolean {
  return /^[A-Z]{3}$/.test(code);
}

/**
 * Digits after the decimal point in the currency's minor unit.
 *   minorDigits('USD') = 2   minorDigits('JPY') = 0   minorDigits('KWD') = 3
 */
export function minorDigits(currency: string): number {
  return EXPONENTS[currency.toUpperCase()] ?? 2;
}

/**
 * An amount typed by a person ("1,200.50", "１２００", "5000") in minor units,
 * or undefined when it is not a non-negative number with at most the
 * currency's digits after the point.
 *   toMinor('1,200.5', 'USD') = 120050   toMinor('5000', 'JPY') = 5000   toMinor('1.5', 'JPY') = undefined
 */
export function toMinor(typed: string, currency: string): number | undefined {
  const text = typed
    .normalize('NFKC')
    .replace(/[\s,_']/g, '')
    // a currency sign or code in front ("$12", "¥5000", "USD 12"); a minus stays and fails
    .replace(/^[^\d.-]+/, '');
  const digits = minorDigits(currency);
  const match = /^(\d{1,15})(?:\.(\d*))?$/.exec(text);
  if (!match) return undefined;
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  if (fraction.length > digits) return undefined;
  const minor = Number(match[1]) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
  return Number.isSafeInteger(minor) ? minor : undefined;
}

/**
 * Minor units shown in the reader's language, with the currency's symbol or code.
 *   formatMoney(120050, 'USD', 'en') = '$1,200.50'   formatMoney(5000, 'JPY', 'ja') = '￥5,000'
 */
export function formatMoney(minor: number, currency: string, locale: Locale): string {
  const digits = minorDigits(currency);
  const value = minor / 10 ** digits;
  try {
    return moneyFormat(locale, currency, digits).format(value);
  } catch {
    // a code Intl does not know: the number and the code
    return `${value.toFixed(digits)} ${currency}`;
  }
}

/** One formatter a language and currency, made once (a pipeline page shows hundreds of amounts). */
const FORMATS = new Map<string, Intl.NumberFormat>();
function moneyFormat(locale: Locale, currency: string, digits: number): Intl.NumberFormat {
  const key = `${locale}|${currency}`;
  let format = FORMATS.get(key);
  if (!format) {
    format = new Intl.NumberFormat(INTL_LOCALE[locale], { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits });
    if (FORMATS.size >= 1000) FORMATS.clear();
    FORMATS.set(key, format);
  }
  return format;
}
