import type { WebClient } from '@slack/web-api';
import { BackendError, json } from '../backend-client.js';
import type { FollowUpData } from '../contacts/contact-card.js';
import type { MailboxRow } from '../mailbox/types.js';
import { homeErrorView, homeView, type ActivityItem, type ChannelLink, type DigestPart, type Loaded, type TeamPart } from './home-view.js';
import type { DigestStatus } from '../digest/types.js';
import { st } from '../i18n/index.js';
import type { RapportContext } from '../identity.js';
import { loadCapturePart, loadMailboxes } from '../mailbox/load.js';

/** More than the Home shows, so that "and K more" counts right. */
const FOLLOW_UPS_FETCHED = '500';

/** What went wrong, in words for the reader: the backend's own (translated) message, else a generic one. */
export function reasonOf(r: RapportContext, e: unknown): string {
  return e instanceof BackendError ? e.message : st(r.locale, 'home_unexpected');
}

async function load<T>(r: RapportContext, errors: unknown[], fetch: () => Promise<T>): Promise<Loaded<T>> {
  try {
    return { ok: true, value: await fetch() };
  } catch (e) {
    errors.push(e);
    return { ok: false, reason: reasonOf(r, e) };
  }
}

/**
 * Publishes the member's Home tab, in their language and time zone. A part
 * the backend could not give is shown as failed while the others still show;
 * after publishing, the first failure is rethrown for the log. notice is a
 * sentence to show first (a button press that failed).
 */
export async function publishHome(r: RapportContext, client: WebClient, opts: { notice?: string } = {}): Promise<void> {
  const { api } = r;
  const errors: unknown[] = [];
  const [followUps, activity, links, digest, capture, allMailboxes, team] = await Promise.all([
    load(r, errors, async () => {
      const list = await json(api['follow-ups'].$get({ query: { owner: 'me', status: 'open', limit: FOLLOW_UPS_FETCHED } }));
      return list.items as FollowUpData[];
    }),
    load(r, errors, async () => (await json(api.me.activity.$get({ query: { limit: '10' } }))).items as ActivityItem[]),
    load(r, errors, async () => (await json(api['channel-links'].$get())).items as ChannelLink[]),
    load(
      r,
      errors,
      async (): Promise<DigestPart> => ({
        status: (await json(api.me.digest.status.$get())) as DigestStatus,
        self: { id: r.memberId, name: r.name },
      }),
    ),
    // the capture address, its latest refusals and Gmail sync
    load(r, errors, () => loadCapturePart(r)),
    // every member's mailbox: an admin's to watch
    r.role === 'admin' ? load(r, errors, () => loadMailboxes(r)) : undefined,
    // the team (deactivated members too, to reactivate) and who may join: an admin's to manage
    r.role === 'admin'
      ? load(r, errors, async (): Promise<TeamPart> => {
          const [members, workspace] = await Promise.all([json(api.members.$get({ query: { active: 'all' } })), json(api.workspace.$get())]);
          return { members: members.items, joinPolicy: workspace.joinPolicy, joinDomains: workspace.joinDomains };
        })
      : undefined,
  ]);

  // the Mailboxes part only where Gmail sync is offered (the capture part found it so)
  const offered = !capture.ok || capture.value.gmail !== undefined;
  let mailboxes: Loaded<readonly MailboxRow[]> | undefined;
  if (allMailboxes && offered) mailboxes = !allMailboxes.ok ? allMailboxes : allMailboxes.value ? { ok: true, value: allMailboxes.value } : undefined;

  let view;
  try {
    view = homeView(
      { followUps, activity, links, digest, capture, ...(mailboxes ? { mailboxes } : {}), ...(team ? { team } : {}) },
      {
        locale: r.locale,
        timeZone: r.timeZone,
        now: r.now().toISOString(),
        ...(r.publicUrl ? { publicUrl: r.publicUrl } : {}),
        ...(opts.notice ? { notice: opts.notice } : {}),
      },
    );
  } catch (e) {
    // a builder bug (a broken Block Kit limit) still leaves the tab saying something
    errors.unshift(e);
    view = homeErrorView(r.locale, reasonOf(r, e));
  }
  await client.views.publish({ user_id: r.slackUserId, view });
  if (errors.length) throw errors[0];
}
