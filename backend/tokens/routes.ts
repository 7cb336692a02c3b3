import { newApiToken } from '../auth/api-tokens.js';
import { call } from '../http.js';
import { errors, jsonBody, memberRoute, ok, router } from '../openapi/route.js';
import {
  type ApiToken,
  type ApiTokenList,
  ApiToken as ApiTokenSchema,
  ApiTokenList as ApiTokenListSchema,
  NewApiToken,
  TokenCreate,
  TokenIdParam,
  TokenListQuery,
} from './schemas.js';

const tags: ['tokens'] = ['tokens'];

/** Personal API tokens: one's own (an admin: anyone's), a new one shown once, revoked at once (api.tokens_list, token_issue, token_revoke). */
export const tokenRoutes = router()
  .openapi(
    memberRoute({
      method: 'get',
      path: '/',
      operationId: 'listTokens',
      tags,
      summary: "The caller's API tokens, newest first (an admin: ?member= for another member's)",
      request: { query: TokenListQuery },
      responses: { 200: ok(ApiTokenListSchema, 'Newest first, revoked and expired ones included'), ...errors(404) },
    }),
    async (c) => c.json(await call<ApiTokenList>(c, 'tokens_list', c.req.valid('query')), 200),
  )
  .openapi(
    memberRoute({
      method: 'post',
      path: '/',
      operationId: 'createToken',
      tags,
      summary: 'A new API token for the caller, shown once',
      request: { body: jsonBody(TokenCreate) },
      responses: { 201: ok(NewApiToken, 'The token (its text is never shown again)') },
    }),
    async (c) => {
      const { token, hash } = newApiToken();
      const made = await call<ApiToken>(c, 'token_issue', { ...c.req.valid('json'), tokenHash: hash });
      return c.json({ ...made, token }, 201);
    },
  )
  .openapi(
    memberRoute({
      method: 'delete',
      path: '/{id}',
      operationId: 'revokeToken',
      tags,
      summary: "Revoke one of the caller's tokens (an admin: anyone's); refused from the next request on",
      request: { params: TokenIdParam },
      responses: { 200: ok(ApiTokenSchema, 'The token, revoked'), ...errors(404) },
    }),
    async (c) => c.json(await call<ApiToken>(c, 'token_revoke', c.req.valid('param')), 200),
  );
