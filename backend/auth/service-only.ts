import { createMiddleware } from 'hono/factory';
import { ApiError } from '../errors.js';
import type { AppEnv } from '../types.js';
import { sameSecret } from './same-secret.js';

/**
 * Routes for Rapport's own processes (the Slack app, a scheduler), before any
 * member is acting: `Authorization: Rapport-Service <RAPPORT_SERVICE_SECRET>`
 * and nothing else; 401 otherwise.
 */
export const serviceOnly = createMiddleware<AppEnv>(async (c, next) => {
  const { serviceSecret } = c.get('deps');
  const header = c.req.header('authorization') ?? '';
  const [scheme, credential = ''] = header.split(/\s+/, 2);
  if (!serviceSecret || scheme?.toLowerCase() !== 'rapport-service' || !sameSecret(credential, serviceSecret)) {
    throw new ApiError(401, 'service_auth_invalid');
  }
  await next();
});
