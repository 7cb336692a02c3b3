import type { App, BlockAction, ViewSubmitAction } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import { BackendError, json } from '../backend-client.js';
import { optionOf, reasonOf, submit, tellUser, textOf } from '../contacts/modal-kit.js';
import { mrkdwnEscape, truncate } from '../format.js';
import { publishHome } from '../home/publish.js';
import { st } from '../i18n/index.js';
import { rapportOf, type RapportContext } from '../identity.js';
import { ACTIONS, INPUTS, VIEWS } from '../ids.js';
import { addPeople } from './add-people.js';
import { canonicalTimeZone } from './team-command.js';
import {
  JOIN_POLICIES,
  NO_MANAGER,
  ROLES,
  addPeopleModal,
  deactivateMemberModal,
  decodeTeamMeta,
  editMemberModal,
  joinPolicyModal,
  memberSuggestions,
  noManagerOption,
  reactivateModal,
} from './team-modals.js';

/**
 * An admin's team controls on the Home tab: Add people (Slack users become
 * reps), Edit (role, manager, time zone), Deactivate (with who takes over),
 * Change who may join. The backend decides who may: a forged submission by
 * anyone else is refused there, and told politely here.
 */

type Role = (typeof ROLES)[number];
type Policy = (typeof JOIN_POLICIES)[number];

/** The backend's 403 in the team's words; any other error as it came. */
const politely = (r: RapportContext, e: unknown) =>
  e instanceof BackendError && e.status === 403 ? new BackendError(403, e.code, st(r.locale, 'team_admin_only')) : e;

/** The field each refusal of PATCH /api/members/{id} belongs on. */
const FIELD_OF: Record<string, string> = {
  last_admin: 'role',
  forbidden: 'role',
  manager_cycle: 'managerId',
  manager_inactive: 'managerId',
  invalid_timezone: 'timezone',
};

/** A refusal placed on its field (details.field), for submit's blockFor. */
function onField(r: RapportContext, e: unknown): unknown {
  const err = politely(r, e);
  if (!(err instanceof BackendError)) return err;
  const field = FIELD_OF[err.code] ?? (err.status === 403 ? 'role' : undefined);
  return field ? new BackendError(err.status, err.code, err.message, { field }) : err;
}

/** Opening a modal from the Home tab: a failure (a member gone, a rep pressing) is published at the top of the Home. */
async function open(r: RapportContext, client: WebClient, triggerId: string, build: () => Promise<ModalView>) {
  try {
    // only an admin's Home shows the controls; a forged press opens nothing (the backend would refuse the submission anyway)
    if (r.role !== 'admin') throw new BackendError(403, 'forbidden', st(r.locale, 'team_admin_only'));
    await client.views.open({ trigger_id: triggerId, view: await build() });
  } catch (e) {
    const err = politely(r, e);
    await publishHome(r, client, { notice: st(r.locale, 'failure', { reason: reasonOf(err) }) });
    if (!(err instanceof BackendError && err.status < 500)) throw err;
  }
}

const activeMembers = async (r: RapportContext) => (await json(r.api.members.$get({ query: {} }))).items.filter((m) => m.active);

async function memberOf(r: RapportContext, id: string) {
  const members = await activeMembers(r);
  const member = members.find((m) => m.id === id);
  if (!member) throw new BackendError(404, 'not_found', st(r.locale, 'team_member_gone'));
  return { member, members };
}

/** The Home again after a change; a failure to build it is the log's, not the admin's. */
async function republish(r: RapportContext, client: WebClient) {
  await publishHome(r, client).catch(() => undefined);
}

export function registerTeamAdmin(bolt: App) {
  // ---------------------------------------------------------------- opening
  type Press = { body: BlockAction; client: WebClient; context: Record<string, unknown> };
  const selected = (body: BlockAction) => {
    const a = body.actions[0] as { selected_option?: { value?: string } } | undefined;
    return a?.selected_option?.value ?? '';
  };

  bolt.action<BlockAction>(ACTIONS.teamAdd, async ({ body, client, context }: Press) => {
    const r = rapportOf(context);
    if (r) await open(r, client, body.trigger_id, async () => addPeopleModal(r.locale));
  });
  bolt.action<BlockAction>(ACTIONS.teamEdit, async ({ body, client, context }: Press) => {
    const r = rapportOf(context);
    if (!r) return;
    await open(r, client, body.trigger_id, async () => {
      const { member, members } = await memberOf(r, selected(body));
      return editMemberModal(r.locale, member, members);
    });
  });
  bolt.action<BlockAction>(ACTIONS.teamDeactivate, async ({ body, client, context }: Press) => {
    const r = rapportOf(context);
    if (!r) return;
    await open(r, client, body.trigger_id, async () => {
      const { member, members } = await memberOf(r, selected(body));
      return deactivateMemberModal(r.locale, member, members);
    });
  });
  bolt.action<BlockAction>(ACTIONS.teamReactivate, async ({ body, client, context }: Press) => {
    const r = rapportOf(context);
    if (!r) return;
    await open(r, client, body.trigger_id, async () => {
      const all = (await json(r.api.members.$get({ query: { active: 'all' } }))).items;
      return reactivateModal(
        r.locale,
        all.filter((m) => !m.active),
      );
    });
  });
  bolt.action<BlockAction>(ACTIONS.teamPolicy, async ({ body, client, context }: Press) => {
    const r = rapportOf(context);
    if (r) await open(r, client, body.trigger_id, async () => joinPolicyModal(r.locale, await json(r.api.workspace.$get())));
  });

  // ---------------------------------------------------------------- members found by typing (a team over 100)
  type Suggest = {
    options: { value?: string; view?: { private_metadata?: string } };
    ack: (a: { options: unknown[] }) => Promise<void>;
    context: Record<string, unknown>;
  };
  const suggest =
    (kind: 'home' | 'manager' | 'reassign') =>
    async ({ options, ack, context }: Suggest) => {
      const r = rapportOf(context);
      if (r?.role !== 'admin') return ack({ options: [] });
      try {
        const without = kind === 'home' ? undefined : decodeTeamMeta(options.view?.private_metadata)?.m;
        const extra = kind === 'manager' ? noManagerOption(r.locale) : undefined;
        await ack({
          options: memberSuggestions(await activeMembers(r), options.value ?? '', { ...(without ? { without } : {}), ...(extra ? { extra } : {}) }),
        });
      } catch {
        await ack({ options: [] });
      }
    };
  bolt.options<'block_suggestion'>(ACTIONS.teamEdit, suggest('home') as never);
  bolt.options<'block_suggestion'>(ACTIONS.teamDeactivate, suggest('home') as never);
  bolt.options<'block_suggestion'>(INPUTS.manager.action, suggest('manager') as never);
  bolt.options<'block_suggestion'>(INPUTS.reassignTo.action, suggest('reassign') as never);

  // ---------------------------------------------------------------- add people
  // Slack waits 3 s for the submission and each person is a users.info and a
  // POST: the modal closes at once and the outcome comes by DM.
  bolt.view<ViewSubmitAction>(VIEWS.teamAdd, async ({ ack, body, view, client, context }) => {
    await ack();
    const r = rapportOf(context);
    if (!r) return;
    const users = view.state.values[INPUTS.people.block]?.[INPUTS.people.action]?.selected_users ?? [];
    // Slack requires a choice; a payload without one has nobody to add and nothing to report
    if (!Array.isArray(users) || users.length === 0) return;
    const lines = await addPeople(r, client, users, body.user.team_id ?? body.team?.id);
    const text = [st(r.locale, 'team_add_report'), ...lines.map((l) => `• ${l}`)].join('\n');
    await tellUser(client, undefined, body.user.id, { text: mrkdwnEscape(truncate(text, 3000)) });
    await republish(r, client);
  });

  // ---------------------------------------------------------------- edit
  bolt.view<ViewSubmitAction>(VIEWS.teamEdit, async ({ ack, body, view, client, context }) => {
    const r = rapportOf(context);
    const meta = decodeTeamMeta(view.private_metadata);
    if (!r || !meta) return ack();
    const role = optionOf(view, INPUTS.role);
    const manager = optionOf(view, INPUTS.manager);
    const typed = textOf(view, INPUTS.timezone);
    const timezone = canonicalTimeZone(typed);
    const errors: Record<string, string> = {};
    if (!ROLES.includes(role as Role)) errors[INPUTS.role.block] = st(r.locale, 'modal_err_choice');
    if (!manager) errors[INPUTS.manager.block] = st(r.locale, 'modal_err_choice');
    if (!timezone) errors[INPUTS.timezone.block] = st(r.locale, 'tz_unknown', { timezone: truncate(typed, 64) });
    if (Object.keys(errors).length) return ack({ response_action: 'errors', errors });

    const patch: { role?: Role; managerId?: string | null; timezone?: string } = {};
    if (role !== meta.r) patch.role = role as Role;
    const managerId = manager === NO_MANAGER ? null : manager!;
    if ((managerId ?? '') !== meta.g) patch.managerId = managerId;
    if (timezone !== meta.z) patch.timezone = timezone!;
    if (Object.keys(patch).length === 0) {
      await ack();
      return tellUser(client, undefined, body.user.id, { text: mrkdwnEscape(st(r.locale, 'modal_no_changes', { name: meta.n })) });
    }
    await submit({
      ack,
      r,
      client,
      user: body.user.id,
      meta: {},
      blocks: { role: INPUTS.role.block, managerId: INPUTS.manager.block, timezone: INPUTS.timezone.block },
      save: () => json(r.api.members[':id'].$patch({ param: { id: meta.m }, json: patch })).catch((e) => Promise.reject(onField(r, e))),
      saved: async (m) => {
        await tellUser(client, undefined, body.user.id, { text: mrkdwnEscape(st(r.locale, 'team_saved', { name: m.name })) });
        await republish(r, client);
      },
    });
  });

  // ---------------------------------------------------------------- deactivate
  bolt.view<ViewSubmitAction>(VIEWS.teamDeactivate, async ({ ack, body, view, client, context }) => {
    const r = rapportOf(context);
    const meta = decodeTeamMeta(view.private_metadata);
    if (!r || !meta) return ack();
    const reassignTo = optionOf(view, INPUTS.reassignTo);
    if (!reassignTo) return ack({ response_action: 'errors', errors: { [INPUTS.reassignTo.block]: st(r.locale, 'modal_err_choice') } });
    await submit({
      ack,
      r,
      client,
      user: body.user.id,
      meta: {},
      blocks: { reassignTo: INPUTS.reassignTo.block },
      save: () => json(r.api.members[':id'].deactivate.$post({ param: { id: meta.m }, json: { reassignTo } })).catch((e) => Promise.reject(politely(r, e))),
      saved: async (d) => {
        const text = st(r.locale, 'team_deactivated', {
          name: d.member.name,
          to: d.reassignedTo.name,
          contacts: d.contacts,
          followUps: d.followUps,
          reports: d.reports,
          tokens: d.tokensRevoked,
        });
        await tellUser(client, undefined, body.user.id, { text: mrkdwnEscape(text) });
        await republish(r, client);
      },
    });
  });

  // ---------------------------------------------------------------- reactivate
  bolt.view<ViewSubmitAction>(VIEWS.teamReactivate, async ({ ack, body, view, client, context }) => {
    const r = rapportOf(context);
    if (!r) return ack();
    const id = optionOf(view, INPUTS.reactivate);
    if (!id) return ack({ response_action: 'errors', errors: { [INPUTS.reactivate.block]: st(r.locale, 'modal_err_choice') } });
    await submit({
      ack,
      r,
      client,
      user: body.user.id,
      meta: {},
      blocks: { id: INPUTS.reactivate.block },
      save: () => json(r.api.members[':id'].reactivate.$post({ param: { id } })).catch((e) => Promise.reject(politely(r, e))),
      saved: async (m) => {
        await tellUser(client, undefined, body.user.id, { text: mrkdwnEscape(st(r.locale, 'team_reactivated', { name: m.name })) });
        await republish(r, client);
      },
    });
  });

  // ---------------------------------------------------------------- who may join
  bolt.view<ViewSubmitAction>(VIEWS.teamPolicy, async ({ ack, body, view, client, context }) => {
    const r = rapportOf(context);
    if (!r) return ack();
    const joinPolicy = optionOf(view, INPUTS.joinPolicy);
    if (!JOIN_POLICIES.includes(joinPolicy as Policy)) {
      return ack({ response_action: 'errors', errors: { [INPUTS.joinPolicy.block]: st(r.locale, 'modal_err_choice') } });
    }
    const joinDomains = [
      ...new Set(
        textOf(view, INPUTS.joinDomains)
          .toLowerCase()
          .split(/[\s,、，]+/)
          .filter(Boolean),
      ),
    ];
    await submit({
      ack,
      r,
      client,
      user: body.user.id,
      meta: {},
      blocks: { joinPolicy: INPUTS.joinPolicy.block, joinDomains: INPUTS.joinDomains.block },
      save: () =>
        json(r.api.workspace.$patch({ json: { joinPolicy: joinPolicy as Policy, joinDomains } })).catch((e) => {
          const err = politely(r, e);
          // a domain that is not one, or domains missing for 'domains', belongs on the domains field
          return Promise.reject(
            err instanceof BackendError && err.status !== 403 && /domain/.test(err.code)
              ? new BackendError(err.status, err.code, err.message, { field: 'joinDomains' })
              : err,
          );
        }),
      saved: async () => {
        await tellUser(client, undefined, body.user.id, { text: mrkdwnEscape(st(r.locale, 'team_policy_saved')) });
        await republish(r, client);
      },
    });
  });
}
