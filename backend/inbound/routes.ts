import * as z from 'zod';
import { $ } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import { limitCaptureAddress } from '../auth/rate-limit.js';
import { sameSecret } from '../auth/same-secret.js';
import { MAX_INBOUND_BYTES } from '../body-limit.js';
import { ApiError } from '../errors.js';
import { inboundRoute, jsonBody, ok, router } from '../openapi/route.js';
import { ErrorBody, Uuid } from '../schemas.js';
import type { AppEnv } from '../types.js';
import { BadMail, captureArgs, fromPostmark, type InboundMail, parseMime } from './mail.js';

/**
 * Mail delivered to a member's capture address (log+<secret>@…), posted by
 * the mail relay: a raw message (POST /inbound/mime) or Postmark's inbound
 * webhook (POST /inbound/postmark). Outside /api: the relay is no member; it
 * holds RAPPORT_INBOUND_SECRET. A refusal (403) is final: a relay must not
 * retry it.
 */
const tags: ['inbound'] = ['inbound'];

/** Bearer <secret>, or HTTP Basic with the secret as password (Postmark's webhook URL holds user:secret@). */
const inboundOnly = createMiddleware<AppEnv>(async (c, next) => {
  const secret = c.get('deps').inbound?.secret;
  const [scheme = '', credential = ''] = (c.req.header('authorization') ?? '').split(/\s+/, 2);
  let given = '';
  if (scheme.toLowerCase() === 'bearer') given = credential;
  else if (scheme.toLowerCase() === 'basic') {
    const pair = Buffer.from(credential, 'base64').toString('utf8');
    given = pair.slice(pair.indexOf(':') + 1);
  }
  if (!secret || !given || !sameSecret(given, secret)) throw new ApiError(401, 'inbound_auth_invalid');
  await next();
});

/**
 * Once the relay is known, its body is read whole (an email with its
 * attachments: MAX_INBOUND_BYTES, as backend/app.ts counts it): a read past
 * the limit is then a 413 here, not a JSON body the validator could not parse.
 */
const readWhole = bodyLimit({
  maxSize: MAX_INBOUND_BYTES,
  onError: () => {
    throw new ApiError(413, 'payload_too_large', { limit: '50 MB' });
  },
});

export const InboundCaptured = z
  .strictObject({
    interactionId: Uuid,
    created: z.boolean().describe('false when this Message-ID was captured before (by the add-on, or an earlier delivery)'),
    forwarded: z.boolean().describe('the message was a forward, and its original was captured'),
  })
  .meta({ id: 'InboundCaptured' });
export type InboundCaptured = z.infer<typeof InboundCaptured>;

const refused = {
  403: {
    description: 'Refused, finally (do not retry): not a capture address, a retired one, a sender who is not its member, or DKIM and SPF both failed',
    content: { 'application/json': { schema: ErrorBody } },
  },
};

const tooMany = {
  429: {
    description: 'Too many messages to this capture address this minute: retry after Retry-After seconds (nothing is lost)',
    headers: { 'Retry-After': { schema: { type: 'integer' as const }, description: 'seconds to wait' } },
    content: { 'application/json': { schema: ErrorBody } },
  },
};

const text = (max: number) => z.string().max(max).optional();
export const PostmarkInbound = z
  .looseObject({
    From: text(1000),
    FromFull: z.looseObject({ Email: text(320), Name: text(1000) }).optional(),
    To: text(100_000),
    Cc: text(100_000),
    Subject: text(10_000),
    Date: text(200),
    MessageID: text(1000),
    Headers: z
      .array(z.looseObject({ Name: z.string().max(1000), Value: z.string().max(100_000) }))
      .max(1000)
      .optional(),
    TextBody: text(1_000_000),
    HtmlBody: text(1_000_000),
    MailboxHash: text(200).describe("the part after + in the recipient: the member's secret"),
    Attachments: z
      .array(z.looseObject({ Name: text(1000), ContentLength: z.number().int().min(0).optional() }))
      .max(1000)
      .optional(),
  })
  .meta({ id: 'PostmarkInbound' });

// on these two paths only: another route mounted under /inbound keeps the app's own checks
export const inboundRoutes = $(router().use('/mime', inboundOnly, readWhole).use('/postmark', inboundOnly, readWhole))
  .openapi(
    inboundRoute({
      method: 'post',
      path: '/mime',
      operationId: 'inboundMime',
      tags,
      summary: 'Capture a raw message (message/rfc822) delivered to the capture address in X-Rapport-Recipient',
      description:
        'The relay sends the message as received, with the envelope recipient (log+<secret>@…) in the X-Rapport-Recipient header and Authorization: Bearer <RAPPORT_INBOUND_SECRET>.',
      request: {
        body: {
          required: true,
          content: { 'message/rfc822': { schema: z.string().describe('the message as received, headers and body') } },
        },
      },
      responses: { 200: ok(InboundCaptured, 'Captured, or captured before'), ...refused, ...tooMany },
    }),
    async (c) => {
      const recipient = c.req.header('x-rapport-recipient') ?? '';
      if (!recipient.trim()) throw new ApiError(400, 'inbound_mail_invalid', { reason: 'X-Rapport-Recipient names no recipient' });
      const secret = secretOf(c.get('deps').inbound?.address ?? '', recipient);
      if (!secret) throw new ApiError(403, 'capture_address_unknown', { recipient });
      await limitCaptureAddress(c, secret);
      const mail = await readMail(() => c.req.arrayBuffer().then((b) => parseMime(new Uint8Array(b))));
      return c.json(await capture(c, secret, recipient, mail), 200);
    },
  )
  .openapi(
    inboundRoute({
      method: 'post',
      path: '/postmark',
      operationId: 'inboundPostmark',
      tags,
      summary: "Capture a message from Postmark's inbound webhook (the secret in MailboxHash)",
      description:
        "Postmark's inbound webhook URL holds the secret as the Basic password (https://postmark:<RAPPORT_INBOUND_SECRET>@host/inbound/postmark); Postmark stops retrying at 403.",
      request: { body: jsonBody(PostmarkInbound) },
      responses: { 200: ok(InboundCaptured, 'Captured, or captured before'), ...refused, ...tooMany },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const recipient = body.To ?? '';
      const secret = (body.MailboxHash ?? '').trim().toLowerCase();
      if (!/^[a-z0-9]{1,64}$/.test(secret)) throw new ApiError(403, 'capture_address_unknown', { recipient });
      await limitCaptureAddress(c, secret);
      const mail = await readMail(async () => fromPostmark(body));
      return c.json(await capture(c, secret, recipient, mail), 200);
    },
  );

/**
 * The secret in a capture address, when it is one of the inbound address's.
 *   secretOf('log@in.example.com', 'Log+K7QM2XWZ9A@in.example.com') = 'k7qm2xwz9a'
 *   secretOf('log@in.example.com', 'other+k7qm2xwz9a@in.example.com') = null
 */
export function secretOf(base: string, recipient: string): string | null {
  const address = (recipient.match(/<([^>]+)>/)?.[1] ?? recipient).trim().toLowerCase();
  const [local = '', domain = ''] = base.toLowerCase().split('@');
  const m = address.match(/^([^@+]+)\+([a-z0-9]{1,64})@(.+)$/);
  return m && m[1] === local && m[3] === domain ? m[2]! : null;
}

async function readMail(read: () => Promise<InboundMail>): Promise<InboundMail> {
  try {
    return await read();
  } catch (e) {
    if (e instanceof BadMail) throw new ApiError(400, 'inbound_mail_invalid', { reason: e.message });
    throw e;
  }
}

type Outcome = { refused: string; interactionId?: never; created?: never } | { refused?: never; interactionId: string; created: boolean };

async function capture(c: Context<AppEnv>, secret: string, recipient: string, mail: InboundMail): Promise<InboundCaptured> {
  let args: ReturnType<typeof captureArgs>;
  try {
    args = captureArgs(mail);
  } catch (e) {
    if (e instanceof BadMail) throw new ApiError(400, 'inbound_mail_invalid', { reason: e.message });
    throw e;
  }
  const { forwarded, ...rest } = args;
  const out = await c.get('deps').db.callAnonymous<Outcome>('inbound_capture', { secret, via: forwarded ? 'forward' : 'bcc', ...rest });
  if (out.refused) {
    const params = { recipient, sender: args.sender ?? '-' };
    throw new ApiError(403, `capture_${out.refused}` as 'capture_address_unknown', params, { reason: out.refused });
  }
  return { interactionId: out.interactionId!, created: out.created!, forwarded };
}
