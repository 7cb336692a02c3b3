import type { Block, KnownBlock } from '@slack/types';

/**
 * Slack's limits on a message's blocks, and a check every builder runs before
 * it returns, so a broken limit is our clear error, not Slack's invalid_blocks.
 */
/** Slack's documented ceilings for a message's blocks. */
export const LIMITS = {
  blocks: 50,
  blockId: 255,
  sectionText: 3000,
  sectionFields: 10,
  sectionField: 2000,
  headerText: 150,
  contextElements: 10,
  contextText: 3000,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  url: 3000,
} as const;

/**
 * Throws, naming each one, if blocks break a Slack limit (50 blocks, section
 * text 3,000, field 2,000, header 150, button text 75, value 2,000, ...).
 * maxBlocks is 100 for a modal.
 *   assertMessageLimits([{ type: 'header', text: { type: 'plain_text', text: 'x'.repeat(151) } }])
 *     throws 'Block Kit limits broken: block 0 (header): text is 151 characters, over 150'
 */
export function assertMessageLimits(blocks: readonly (KnownBlock | Block)[], maxBlocks: number = LIMITS.blocks): void {
  const problems: string[] = [];
  if (blocks.length > maxBlocks) problems.push(`${blocks.length} blocks, over ${maxBlocks}`);
  const blockIds = new Set<string>();
  blocks.forEach((block, i) => {
    const b = block as unknown as Record<string, unknown>;
    const at = `block ${i} (${String(b.type)})`;
    const over = (what: string, value: unknown, max: number, min = 0) => {
      if (typeof value !== 'string') return;
      if (value.length > max) problems.push(`${at}: ${what} is ${value.length} characters, over ${max}`);
      if (value.length < min) problems.push(`${at}: ${what} is empty`);
    };
    const blockId = str(b.block_id);
    if (blockId !== undefined) {
      over('block_id', blockId, LIMITS.blockId);
      if (blockIds.has(blockId)) problems.push(`${at}: block_id ${blockId} is used twice`);
      blockIds.add(blockId);
    }
    const element = (e: Record<string, unknown> | undefined, where: string) => {
      if (!e) return;
      over(`${where} action_id`, e.action_id, LIMITS.actionId);
      if (e.type === 'button') {
        over(`${where} text`, record(e.text)?.text, LIMITS.buttonText, 1);
        over(`${where} value`, e.value, LIMITS.buttonValue);
        over(`${where} url`, e.url, LIMITS.url);
      }
    };
    if (b.type === 'header') over('text', record(b.text)?.text, LIMITS.headerText, 1);
    if (b.type === 'section') {
      const fields = Array.isArray(b.fields) ? b.fields : [];
      if (b.text === undefined && fields.length === 0) problems.push(`${at}: has neither text nor fields`);
      if (b.text !== undefined) over('text', record(b.text)?.text, LIMITS.sectionText, 1);
      if (fields.length > LIMITS.sectionFields) problems.push(`${at}: ${fields.length} fields, over ${LIMITS.sectionFields}`);
      for (const [j, f] of fields.entries()) over(`field ${j}`, record(f)?.text, LIMITS.sectionField, 1);
      element(record(b.accessory), 'accessory');
    }
    if (b.type === 'context') {
      const elements = Array.isArray(b.elements) ? b.elements : [];
      if (elements.length > LIMITS.contextElements) problems.push(`${at}: ${elements.length} elements, over ${LIMITS.contextElements}`);
      for (const [j, e] of elements.entries()) over(`element ${j}`, record(e)?.text, LIMITS.contextText, 1);
    }
    if (b.type === 'actions') {
      const elements = Array.isArray(b.elements) ? b.elements : [];
      if (elements.length > LIMITS.actionsElements) problems.push(`${at}: ${elements.length} elements, over ${LIMITS.actionsElements}`);
      const actionIds = new Set<string>();
      elements.forEach((e, j) => {
        const el = record(e);
        element(el, `element ${j}`);
        const id = str(el?.action_id);
        if (id !== undefined && actionIds.has(id)) problems.push(`${at}: action_id ${id} is used twice`);
        if (id !== undefined) actionIds.add(id);
      });
    }
  });
  if (problems.length) throw new Error(`Block Kit limits broken: ${problems.join('; ')}`);
}

/** v as a plain object, or undefined. */
export function record(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** v if it is a string. */
export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
