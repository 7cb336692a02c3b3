import type { WebClient } from '@slack/web-api';
import { localeOf } from '../../backend/i18n/vocabulary.js';
import { BackendError, json } from '../backend-client.js';
import { reasonOf } from '../contacts/modal-kit.js';
import { st, type SlackMessageKey } from '../i18n/index.js';
import type { RapportContext } from '../identity.js';
import { canonicalTimeZone } from './team-command.js';

/**
 * Each chosen Slack user as a member: read from Slack (users.info), then
 * POST /api/members as a rep with their email, real name, zone and language.
 * Returns one sentence per person: added, already a member (the backend's
 * 409 sentence), skipped and why, or refused.
 */
export async function addPeople(r: RapportContext, client: WebClient, users: readonly string[], teamId: string | undefined): Promise<string[]> {
  const lines: string[] = [];
  for (const id of users) {
    let info: Awaited<ReturnType<WebClient['users']['info']>>['user'];
    try {
      info = (await client.users.info({ user: id, include_locale: true })).user;
    } catch {
      info = undefined;
    }
    const name = (info?.profile?.real_name || info?.real_name || info?.profile?.display_name || info?.name || id).trim().slice(0, 200);
    const skip = (key: SlackMessageKey) => lines.push(st(r.locale, key, { name }));
    if (!info) skip('team_skip_unknown');
    else if (info.is_bot || info.id === 'USLACKBOT') skip('team_skip_bot');
    else if (info.deleted) skip('team_skip_deleted');
    else if (info.is_restricted || info.is_ultra_restricted) skip('team_skip_guest');
    else if (teamId && info.team_id && info.team_id !== teamId) skip('team_skip_other_team');
    else if (!info.profile?.email) skip('team_skip_no_email');
    else {
      const email = info.profile.email;
      const timezone = info.tz && canonicalTimeZone(info.tz) ? canonicalTimeZone(info.tz)! : undefined;
      try {
        await json(
          r.api.members.$post({
            json: { email, name, role: 'rep', locale: localeOf(info.locale) ?? 'en', ...(timezone ? { timezone } : {}) },
          }),
        );
        lines.push(st(r.locale, 'team_add_added', { name, email }));
      } catch (e) {
        if (e instanceof BackendError && e.status === 409) lines.push(st(r.locale, 'team_add_exists', { reason: e.message }));
        else if (e instanceof BackendError && e.status === 403) {
          // a forged submission: the same refusal for everyone chosen, said once
          return [st(r.locale, 'team_admin_only')];
        } else lines.push(st(r.locale, 'team_add_failed', { name, reason: reasonOf(e) }));
      }
    }
  }
  return lines;
}
