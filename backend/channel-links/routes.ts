import { call } from '../http.js';
import { errors, jsonBody, memberRoute, ok, router } from '../openapi/route.js';
import { ChannelLink, ChannelLinkList, ChannelLinkParam, ChannelLinkPut, ChannelUnlinked } from './schemas.js';

export { ChannelLinkParam, ChannelLinkPut };

const tags: ['channel-links'] = ['channel-links'];

/**
 * Slack channels captured into Rapport (/crm link): every human message in one
 * becomes an interaction filed under the linked company or contact.
 */
export const channelLinkRoutes = router()
  .openapi(
    memberRoute({
      method: 'get',
      path: '/',
      operationId: 'listChannelLinks',
      tags,
      summary: 'Slack channels captured into Rapport, with when each last captured and its last failure',
      responses: { 200: ok(ChannelLinkList, 'Every link of the workspace') },
    }),
    async (c) => c.json(await call<ChannelLinkList>(c, 'channel_links_list', {}), 200),
  )
  .openapi(
    memberRoute({
      method: 'put',
      path: '/{teamId}/{channelId}',
      operationId: 'linkChannel',
      tags,
      summary: 'Capture a Slack channel, filed under a company or a contact',
      request: { params: ChannelLinkParam, body: jsonBody(ChannelLinkPut) },
      responses: { 200: ok(ChannelLink, 'The link'), ...errors(404) },
    }),
    async (c) => c.json(await call<ChannelLink>(c, 'channel_link', { ...c.req.valid('param'), ...c.req.valid('json') }), 200),
  )
  .openapi(
    memberRoute({
      method: 'delete',
      path: '/{teamId}/{channelId}',
      operationId: 'unlinkChannel',
      tags,
      summary: 'Stop capturing a Slack channel',
      request: { params: ChannelLinkParam },
      responses: { 200: ok(ChannelUnlinked, 'Whether it was linked') },
    }),
    async (c) => c.json(await call<ChannelUnlinked>(c, 'channel_unlink', c.req.valid('param')), 200),
  );
