import { json } from '../backend-client.js';
import type { RapportContext } from '../identity.js';
import { myDealsBlocks } from './list-blocks.js';
import { pipelineOf } from './actions.js';

/** /crm deals: my open deals by stage, each with Move stage, Mark won and Mark lost. */
export async function dealsCommand(r: RapportContext) {
  const [page, stages] = await Promise.all([json(r.api.deals.$get({ query: { owner: 'me', status: 'open', limit: '200' } })), pipelineOf(r)]);
  return myDealsBlocks(page.items, stages, { locale: r.locale, timeZone: r.timeZone });
}
