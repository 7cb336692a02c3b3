import type { App } from '@slack/bolt';
import { helpBlocks } from '../blocks/contact-card.js';
import type { RapportContext } from '../identity.js';

/** /crm list <segment>: the contacts of a saved segment. */
export async function segmentListCommand(r: RapportContext, _name: string): Promise<{ text: string; blocks: unknown[] }> {
  return helpBlocks(r.locale);
}

/** /crm stats [week|month]: the team's numbers. */
export async function statsCommand(r: RapportContext, _period: 'week' | 'month'): Promise<{ text: string; blocks: unknown[] }> {
  return helpBlocks(r.locale);
}

/** /crm tidy: incomplete records, with one-click fixes where the fix is known. */
export async function tidyCommand(r: RapportContext): Promise<{ text: string; blocks: unknown[] }> {
  return helpBlocks(r.locale);
}

/** The buttons of /crm tidy. */
export function registerSegmentActions(_bolt: App) {}
