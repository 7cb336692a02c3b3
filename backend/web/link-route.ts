import * as z from 'zod';
import { call } from '../http.js';
import { errors, jsonBody, memberRoute, ok, router } from '../openapi/route.js';
import { newWebToken, safeNext } from './session.js';

export const SigninLinkRequest = z
  .strictObject({
    next: z
      .string()
      .max(500)
      .regex(/^\/(?![/\\])[^\u0000-\u001f]*$/, 'a path on this server, such as /c/<id>')
      .optional()
      .describe('Where the browser goes once signed in: a path on this server (default /)'),
  })
  .meta({ id: 'SigninLinkRequest' });

export const SigninLink = z
  .strictObject({
    url: z.string().describe('Open it within 10 minutes; it works once'),
    expiresAt: z.string().describe('ISO 8601'),
  })
  .meta({ id: 'SigninLink' });

/**
 * POST /api/me/signin-link: a one-time link that signs the caller in to the
 * web companion (Slack's App Home "Open in browser", `npm run token --
 * --link`), so a person needs no Slack or Google sign-in set up. The token
 * is made here and only its hash is stored.
 */
export const signinLinkRoutes = router().openapi(
  memberRoute({
    method: 'post',
    path: '/signin-link',
    operationId: 'createSigninLink',
    tags: ['me'],
    summary: 'A link that signs the caller in to the web pages: valid for 10 minutes and once',
    request: { body: jsonBody(SigninLinkRequest) },
    responses: { 200: ok(SigninLink, 'The link'), ...errors(400) },
  }),
  async (c) => {
    const { next } = c.req.valid('json');
    const { token, hash } = newWebToken();
    const made = await call<{ expiresAt: string; next: string }>(c, 'signin_link_create', { tokenHash: hash, next: safeNext(next) });
    return c.json({ url: signinLinkUrl(c.get('deps').publicUrl ?? new URL(c.req.url).origin, token), expiresAt: made.expiresAt }, 200);
  },
);

/** Where a one-time link's token is opened: signinLinkUrl('https://r.example/', 't') = 'https://r.example/signin/link/t' */
export function signinLinkUrl(base: string, token: string): string {
  return `${base.replace(/\/+$/, '')}/signin/link/${token}`;
}
