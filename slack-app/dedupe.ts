import type { AllMiddlewareArgs, AnyMiddlewareArgs } from '@slack/bolt';
import { json, type ServiceClient } from './backend-client.js';

/**
 * Slack delivers an event until it is acknowledged, and again after a timeout
 * (X-Slack-Retry-Num over HTTP, retry_attempt in Socket Mode). The first
 * delivery of an event id claims it in the database and runs; every other one
 * is acknowledged and dropped, so the same event four times has one effect.
 * When handling fails the claim is released before the error goes on to the
 * log, so Slack's next retry runs it instead of being dropped.
 */
/** Per delivery, set by slackRoutes (context.delivery): whether its handling failed. */
export interface Delivery {
  failed: boolean;
}

export function dedupeEvents(service: ServiceClient) {
  return async (args: AnyMiddlewareArgs & AllMiddlewareArgs) => {
    const body = args.body as { type?: string; event_id?: unknown; team_id?: unknown };
    if (body.type !== 'event_callback' || typeof body.event_id !== 'string' || typeof body.team_id !== 'string') {
      await args.next();
      return;
    }
    const key = { teamId: body.team_id, eventId: body.event_id };
    const { first } = await json(service.events.claim.$post({ json: key }));
    if (!first) return;
    try {
      await args.next();
    } catch (e) {
      await service.events.release.$post({ json: key }).catch(() => undefined);
      const delivery = (args.context as { delivery?: Delivery }).delivery;
      if (delivery) delivery.failed = true;
      throw e;
    }
  };
}
