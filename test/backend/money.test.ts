import { describe, expect, it } from 'vitest';
import { formatMoney, minorDigits, toMinor } from '../../backend/i18n/money.js';

describe('money in minor units', () => {
  it('knows the ISO 4217 minor digits', () => {
    expect([minorDigits('USD'), minorDigits('JPY'), minorDigits('KWD'), minorDigits('cny')]).toEqual([2, 0, 3, 2]);
  });

  it('reads what a person types, refusing what the currency cannot hold', () => {
    expect(toMinor('1,200.5', 'USD')).toBe(120050);
    expect(toMinor('$12', 'USD')).toBe(1200);
    expect(toMinor('¥5000', 'JPY')).toBe(5000);
    expect(toMinor('１２００', 'JPY')).toBe(1200);
    expect(toMinor('1.250', 'KWD')).toBe(1250);
    expect(toMinor('1.50', 'JPY')).toBeUndefined();
    expect(toMinor('1.5', 'JPY')).toBeUndefined();
    expect(toMinor('1.00', 'JPY')).toBe(1);
    expect(toMinor('-5', 'USD')).toBeUndefined();
    expect(toMinor('abc', 'USD')).toBeUndefined();
    expect(toMinor('', 'USD')).toBeUndefined();
    expect(toMinor('9'.repeat(20), 'USD')).toBeUndefined();
  });

  it('shows an amount in the reader language with no conversion', () => {
    expect(formatMoney(120050, 'USD', 'en')).toBe('$1,200.50');
    expect(formatMoney(5000, 'JPY', 'ja')).toBe('￥5,000');
    expect(formatMoney(99, 'CNY', 'zh')).toBe('¥0.99');
    expect(formatMoney(5, 'XYZ', 'en')).toContain('XYZ');
  });
});
