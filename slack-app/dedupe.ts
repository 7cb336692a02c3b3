import type { AllMiddlewareArgs, AnyMiddlewareArgs } from '@slack/bolt';
import { json, type ServiceClient } from './backend-client.js';

/**
 * Slack delivers an event until it is acknowledged, and again after a timeout
 * (X-Slack-Retry-Num over HTTP, retry_attempt in Socket Mode). The first
 * delivery of an event id claims it in the database and runs, then marks it
 * handled; a retry of a handled event is acknowledged and dropped, so the same
 * event four times has one effect. When handling fails the claim is released
 * before the error goes on to the log, so Slack's next retry runs it. A retry
 * that finds the claim unfinished (the first still running, or its release
 * lost while the database was away) is answered "retry" rather than dropped,
 * and a claim left unfinished for 10 s may be taken over.
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
    const delivery = (args.context as { delivery?: Delivery }).delivery;
    let claim: { first: boolean; busy: boolean };
    try {
      claim = await json(service.events.claim.$post({ json: key }));
    } catch (e) {
      // nothing was claimed (the database is away): Slack must deliver it again
      if (delivery) delivery.failed = true;
      throw e;
    }
    if (!claim.first) {
      // another delivery holds it unfinished (still running, or its release
      // was lost): not acknowledged, so that Slack tries again later
      if (claim.busy && delivery) delivery.failed = true;
      return;
    }
    try {
      await args.next();
      // a lost "handled" leaves the claim to lapse: a later retry runs it again
      // (captures are idempotent), rather than an unfinished event being dropped
      await service.events.handled.$post({ json: key }).catch(() => undefined);
    } catch (e) {
      await service.events.release.$post({ json: key }).catch(() => undefined);
      if (delivery) delivery.failed = true;
      throw e;
    }
  };
}
