import { describe, expect, it } from 'vitest';
import { escapeHtml, escapeText } from '../../backend/html.js';
import { messages as backendMessages, pickLocale } from '../../backend/i18n/messages.js';
import { DIRECTIONS, INTL_LOCALE, KINDS, LOCALES, ROLES, STAGES, fill, localeOf, vocabulary } from '../../backend/i18n/vocabulary.js';
import { InteractionCapture } from '../../backend/interactions/schemas.js';
import { Role, Stage } from '../../backend/schemas.js';
import { messages as addonMessages } from '../../gmail-addon/src/i18n.js';
import { cardText } from '../../gmail-addon/src/text.js';
import { mrkdwnEscape } from '../../slack-app/format.js';
import { slackMessages } from '../../slack-app/i18n/index.js';

describe('one vocabulary for the backend, the Slack app and the add-on', () => {
  const catalogues = { backend: backendMessages, slack: slackMessages, addon: addonMessages } as Record<string, Record<string, unknown>>;

  it.each(Object.keys(catalogues))('the %s catalogue names every stage, kind and direction with the shared entry, not a copy', (name) => {
    const catalogue = catalogues[name]!;
    for (const [key, entry] of Object.entries(vocabulary)) expect(catalogue[key], key).toBe(entry);
  });

  it('names each of the API values, in every locale, and no two alike within a locale', () => {
    const keys = [
      ...STAGES.map((s) => `stage_${s}`),
      ...KINDS.map((k) => `kind_${k}`),
      ...DIRECTIONS.map((d) => `direction_${d}`),
      ...ROLES.map((r) => `role_${r}`),
    ];
    expect(Object.keys(vocabulary).sort()).toEqual(keys.sort());
    for (const locale of LOCALES) {
      for (const group of ['stage_', 'kind_', 'direction_', 'role_']) {
        const names = Object.entries(vocabulary)
          .filter(([k]) => k.startsWith(group))
          .map(([, e]) => e[locale]);
        expect(new Set(names).size, `${group} in ${locale}`).toBe(names.length);
      }
    }
    // a call is 通话 in Chinese wherever it is shown
    expect(vocabulary.kind_call.zh).toBe('通话');
  });

  it('holds the values the API accepts', () => {
    expect(Stage.options).toEqual([...STAGES]);
    expect(InteractionCapture.shape.kind.options).toEqual([...KINDS]);
    expect(InteractionCapture.shape.direction.unwrap().options).toEqual([...DIRECTIONS]);
    expect(Role.options).toEqual([...ROLES]);
    expect(Object.keys(INTL_LOCALE)).toEqual([...LOCALES]);
  });

  it('fills placeholders and reads language tags the same way everywhere', () => {
    expect(fill('Hi {name} {x}', { name: 'Jane' })).toBe('Hi Jane {x}');
    expect(fill('{n} of {total}', { n: 0, total: null })).toBe('0 of {total}');
    expect(localeOf('ja-JP')).toBe('ja');
    expect(localeOf('zh_Hant_TW')).toBe('zh');
    expect(localeOf('EN-us')).toBe('en');
    expect(localeOf('fr')).toBeUndefined();
    expect(localeOf(undefined)).toBeUndefined();
    expect(pickLocale('fr-FR, ja-JP;q=0.5, en;q=0.4')).toBe('ja');
  });

  it('escapes text for HTML, a Gmail card and Slack mrkdwn with the same three entities', () => {
    const hostile = '<a href="x">Q&A\'s</a> <!here>';
    expect(escapeText(hostile)).toBe('&lt;a href="x"&gt;Q&amp;A\'s&lt;/a&gt; &lt;!here&gt;');
    expect(cardText(hostile)).toBe(escapeText(hostile));
    expect(escapeHtml(hostile)).toBe('&lt;a href=&quot;x&quot;&gt;Q&amp;A&#39;s&lt;/a&gt; &lt;!here&gt;');
    expect(mrkdwnEscape(hostile)).toBe(escapeText(hostile));
    expect(mrkdwnEscape('@channel')).toBe('@\u200dchannel');
  });
});
