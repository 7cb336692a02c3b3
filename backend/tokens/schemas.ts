import * as z from 'zod';
import { Id, Time, Uuid } from '../schemas.js';

export const ApiToken = z
  .strictObject({
    id: Uuid,
    memberId: Uuid,
    label: z.string(),
    createdAt: Time,
    lastUsedAt: Time.nullable(),
    expiresAt: Time.nullable(),
    revokedAt: Time.nullable(),
    active: z.boolean().describe('neither revoked nor expired'),
  })
  .meta({ id: 'ApiToken' });
export type ApiToken = z.infer<typeof ApiToken>;

export const ApiTokenList = z.strictObject({ items: z.array(ApiToken) }).meta({ id: 'ApiTokenList' });
export type ApiTokenList = z.infer<typeof ApiTokenList>;

export const NewApiToken = ApiToken.extend({ token: z.string().describe('rpt_...: shown this once; only its hash is kept') }).meta({ id: 'NewApiToken' });

export const TokenListQuery = z.strictObject({
  member: z.string().max(320).optional().describe("an admin: another member's tokens, by id or email"),
});

export const TokenCreate = z.strictObject({
  label: z.string().trim().min(1, 'must not be empty').max(200),
  expiresInDays: z.int().min(1).max(3650).optional().describe('no expiry when left out'),
});

export const TokenIdParam = z.strictObject({ id: Id });
