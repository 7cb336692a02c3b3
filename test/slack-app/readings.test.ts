import { describe, expect, it } from 'vitest';
import { nameWithReading } from '../../backend/i18n/name-reading.js';
import { contactCardBlocks, contactPickerBlocks, type CardOptions } from '../../slack-app/contacts/contact-card.js';
import { editContactModal } from '../../slack-app/contacts/modals.js';
import { contactLink } from '../../slack-app/digest/pieces.js';

/** Readings beside names (issue 21): shown where the reader's language is not the name's, and editable. */
describe('readings in Slack', () => {
  it.each([
    ['田中 太郎', 'たなか たろう', 'en', '田中 太郎（たなか たろう）'],
    ['田中 太郎', 'たなか たろう', 'zh', '田中 太郎（たなか たろう）'],
    ['田中 太郎', 'たなか たろう', 'ja', '田中 太郎'],
    ['王伟', 'wang wei', 'ja', '王伟（wang wei）'],
    ['王伟', 'wang wei', 'en', '王伟（wang wei）'],
    ['王伟', 'wang wei', 'zh', '王伟'],
    ['タナカ', 'タナカ', 'en', 'タナカ'],
    ['Jane Doe', 'jane', 'ja', 'Jane Doe'],
    ['田中 太郎', null, 'en', '田中 太郎'],
  ] as const)('%s with %s for a reader of %s: %s', (name, reading, locale, shown) => {
    expect(nameWithReading(name, reading, locale)).toBe(shown);
  });

  const opts = (locale: 'en' | 'ja'): CardOptions => ({ locale, timeZone: 'Asia/Tokyo', now: '2026-11-24T03:00:00Z', external: false, shareable: true });
  const contact = {
    id: 'a0000000-0000-4000-8000-000000000001',
    name: '田中 太郎',
    reading: 'たなか たろう',
    title: null,
    phone: null,
    emails: [],
    company: null,
    stage: 'lead' as const,
    owner: null,
    lastInteractionAt: null,
    openFollowUps: [],
    timeline: [],
  };

  it('shows the reading in the card header and the picker for an English reader, not for a Japanese one', () => {
    expect(contactCardBlocks(contact, opts('en')).blocks[0]).toMatchObject({ type: 'header', text: { text: '田中 太郎（たなか たろう）' } });
    expect(contactCardBlocks(contact, opts('ja')).blocks[0]).toMatchObject({ type: 'header', text: { text: '田中 太郎' } });
    const picker = JSON.stringify(contactPickerBlocks([contact, { ...contact, id: 'a0000000-0000-4000-8000-000000000002' }], 'tanaka', 'en').blocks);
    expect(picker).toContain('田中 太郎（たなか たろう）');
  });

  it('edits the reading in the contact modal, prefilled, with a hint in the reader language', () => {
    const view = editContactModal(
      'ja',
      { name: '田中 太郎', reading: 'たなか たろう', stage: 'lead', title: null, phone: null, tags: [], ownerName: null, ownerSlackId: null },
      '{}',
    );
    const block = view.blocks.find((b) => b.block_id === 'input_reading');
    expect(block).toMatchObject({
      type: 'input',
      optional: true,
      label: { text: '読み（ふりがな）' },
      element: { type: 'plain_text_input', action_id: 'reading', initial_value: 'たなか たろう', max_length: 200 },
    });
  });

  it('shows the reading in the digest for a manager who reads another language', () => {
    expect(contactLink({ id: 'c1', name: '王伟', reading: 'wang wei' }, undefined, 'ja')).toBe('王伟（wang wei）');
    expect(contactLink({ id: 'c1', name: '王伟', reading: 'wang wei' }, 'https://r.example', 'zh')).toBe('<https://r.example/c/c1|王伟>');
  });
});
