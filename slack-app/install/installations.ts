import { json, serviceClient, type BackendLink } from '../backend-client.js';
import { decryptToken, encryptToken } from './crypto.js';

/** What Bolt's authorize answers for a team: its decrypted bot token and the bot's own ids. */
export interface TeamAuthorization {
  botToken: string;
  botId: string;
  botUserId: string;
  teamId: string;
  enterpriseId?: string;
}

/** One "Add to Slack" result, with the plain token: encrypted before it leaves this process. */
export interface NewInstallation {
  teamId: string;
  teamName?: string;
  enterpriseId?: string;
  workspaceId: string;
  botToken: string;
  botUserId: string;
  botId: string;
  scopes: string;
  installedBy?: string;
}

export class TeamNotInstalledError extends Error {
  constructor(teamId: string | undefined) {
    super(
      teamId
        ? `Rapport is not installed in Slack team ${teamId}: install it with "Add to Slack" (/slack/install)`
        : 'the request names no Slack team (org-wide installs are not supported): install Rapport in each workspace',
    );
    this.name = 'TeamNotInstalledError';
  }
}

/** A cache entry lives this long: other copies of the app learn of an uninstall within it. */
const CACHE_MS = 60_000;

/**
 * Installations as the Slack app sees them: stored through the backend with
 * the token encrypted under the server key, decrypted here only. Found
 * installations are remembered briefly in memory (unknown teams are not, so a
 * fresh install works at once); saving or removing a team forgets it.
 */
export function installationStore(backend: BackendLink, serverKey: Buffer, opts: { now?: () => number; cacheMs?: number } = {}) {
  const service = serviceClient(backend);
  const now = opts.now ?? Date.now;
  const ttl = opts.cacheMs ?? CACHE_MS;
  const cache = new Map<string, { until: number; value: Promise<TeamAuthorization> }>();

  async function load(teamId: string): Promise<TeamAuthorization> {
    const { installation } = await json(service.installations.teams[':teamId'].$get({ param: { teamId } }));
    if (!installation?.botTokenEnc || !installation.botId || !installation.botUserId) throw new TeamNotInstalledError(teamId);
    return {
      botToken: decryptToken(serverKey, teamId, installation.botTokenEnc),
      botId: installation.botId,
      botUserId: installation.botUserId,
      teamId,
      ...(installation.enterpriseId ? { enterpriseId: installation.enterpriseId } : {}),
    };
  }

  return {
    /** The team's token and bot ids, or TeamNotInstalledError. */
    authorize(teamId: string | undefined): Promise<TeamAuthorization> {
      if (!teamId) return Promise.reject(new TeamNotInstalledError(undefined));
      const hit = cache.get(teamId);
      if (hit && hit.until > now()) return hit.value;
      const value = load(teamId);
      cache.set(teamId, { until: now() + ttl, value });
      value.catch(() => {
        if (cache.get(teamId)?.value === value) cache.delete(teamId);
      });
      return value;
    },
    /** Stores an installation; a BackendError with status 409 when the team belongs to another workspace. */
    async save(inst: NewInstallation) {
      const { teamId, botToken, ...rest } = inst;
      cache.delete(teamId);
      const { installation } = await json(
        service.installations.teams[':teamId'].$put({
          param: { teamId },
          json: { ...rest, botTokenEnc: encryptToken(serverKey, teamId, botToken) },
        }),
      );
      return installation;
    },
    /** Removes a team's installation and its channel links; fine to call twice. */
    async remove(teamId: string, reason: 'app_uninstalled' | 'tokens_revoked' | 'admin') {
      cache.delete(teamId);
      const result = await json(service.installations.teams[':teamId'].$delete({ param: { teamId }, query: { reason } }));
      cache.delete(teamId);
      return result;
    },
    /** The Rapport workspace an install binds to: the one named, else the only one. */
    target(workspaceId?: string) {
      return json(service.installations.target.$get({ query: workspaceId ? { workspaceId } : {} }));
    },
    forget(teamId: string) {
      cache.delete(teamId);
    },
  };
}

export type InstallationStore = ReturnType<typeof installationStore>;
