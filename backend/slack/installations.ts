import { Hono } from 'hono';
import type { AppEnv } from '../types.js';

/** Slack installations ("Add to Slack"): stored, found and removed for the Slack app (service secret). */
export const installationRoutes = new Hono<AppEnv>();
