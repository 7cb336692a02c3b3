import type { BlockButtonAction, RespondFn } from '@slack/bolt';
import type { Button, ContextBlock, HeaderBlock, KnownBlock, SectionBlock } from '@slack/types';
import type { SlackMessage } from '../contacts/contact-card.js';
import { clipMrkdwn, truncate } from '../format.js';
import type { RapportContext } from '../identity.js';
import { LIMITS, assertMessageLimits } from '../limits.js';

/** What a duplicates button did, shown on top of the redrawn list (a merge with its Undo button: the action and the merge id). */
export type Notice = { ok: boolean; text: string; undo?: { action: string; id: string } };

/** Wraps what a duplicates button does into a Bolt listener that acts as the presser and redraws the list. */
export type DuplicateHandler = (
  act: (r: RapportContext, value: string) => Promise<Notice>,
) => (args: { ack: () => Promise<void>; action: BlockButtonAction['actions'][number]; respond: RespondFn; context: Record<string, unknown> }) => Promise<void>;

export function finish(text: string, blocks: KnownBlock[]): SlackMessage {
  assertMessageLimits(blocks);
  return { text: clipMrkdwn(text, 3000), blocks };
}

export function header(blockId: string, text: string): HeaderBlock {
  return { type: 'header', block_id: blockId, text: { type: 'plain_text', text: truncate(text, LIMITS.headerText), emoji: true } };
}

export function section(blockId: string, mrkdwn: string, accessory?: Button): SectionBlock {
  return {
    type: 'section',
    block_id: blockId,
    text: { type: 'mrkdwn', text: clipMrkdwn(mrkdwn, LIMITS.sectionText) },
    ...(accessory ? { accessory } : {}),
  };
}

export function context(blockId: string, mrkdwn: string): ContextBlock {
  return { type: 'context', block_id: blockId, elements: [{ type: 'mrkdwn', text: clipMrkdwn(mrkdwn, LIMITS.contextText) }] };
}

export function button(text: string, actionId: string, value: string, style?: 'primary'): Button {
  return {
    type: 'button',
    action_id: actionId,
    text: { type: 'plain_text', text: truncate(text, LIMITS.buttonText), emoji: true },
    value,
    ...(style ? { style } : {}),
  };
}
