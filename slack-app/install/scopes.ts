/**
 * The bot scopes "Add to Slack" asks for: manifest.yml's
 * oauth_config.scopes.bot, in the same order (test/slack-app/oauth.test.ts
 * checks that the two agree).
 */
export const BOT_SCOPES = [
  'commands',
  'chat:write',
  'app_mentions:read',
  'im:history',
  'im:write',
  'channels:history',
  'groups:history',
  'users:read',
  'users:read.email',
  'channels:read',
  'groups:read',
  'links:read',
  'links:write',
] as const;
