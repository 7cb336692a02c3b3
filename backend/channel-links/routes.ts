import { Hono } from 'hono';
import * as z from 'zod';
import { call, validate } from '../http.js';
import { Id, text } from '../schemas.js';
import { ChannelId, TeamId } from '../slack/ids.js';
import type { AppEnv } from '../types.js';

export const ChannelLinkParam = z.strictObject({ teamId: TeamId, channelId: ChannelId });
export const ChannelLinkPut = z
  .strictObject({
    channelName: text(200).optional(),
    isExtShared: z.boolean().default(false),
    companyId: Id.optional(),
    contactId: Id.optional(),
  })
  .refine((b) => (b.companyId === undefined) !== (b.contactId === undefined), {
    message: 'needs exactly one of companyId and contactId',
  });

/**
 * Slack channels captured into Rapport (/crm link): every human message in one
 * becomes an interaction filed under the linked company or contact.
 */
export const channelLinkRoutes = new Hono<AppEnv>()
  .get('/', async (c) => c.json(await call<{ items: unknown[] }>(c, 'channel_links_list', {})))
  .put('/:teamId/:channelId', validate('param', ChannelLinkParam), validate('json', ChannelLinkPut), async (c) => {
    return c.json(await call<Record<string, unknown>>(c, 'channel_link', { ...c.req.valid('param'), ...c.req.valid('json') }));
  })
  .delete('/:teamId/:channelId', validate('param', ChannelLinkParam), async (c) => {
    return c.json(await call<{ unlinked: boolean }>(c, 'channel_unlink', c.req.valid('param')));
  });
