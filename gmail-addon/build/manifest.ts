/**
 * gmail-addon/dist/appsscript.json: the add-on's Apps Script manifest. The
 * narrowest scopes that work, and UrlFetchApp allowed to reach the backend only.
 */
export const ADDON_SCOPES = [
  // run as a Gmail add-on, and read the open message (its thread too)
  'https://www.googleapis.com/auth/gmail.addons.execute',
  'https://www.googleapis.com/auth/gmail.addons.current.message.readonly',
  // call the backend
  'https://www.googleapis.com/auth/script.external_request',
  // ScriptApp.getIdentityToken(): an ID token with the rep's verified email
  'https://www.googleapis.com/auth/userinfo.email',
  'openid',
  // the rep's Gmail language (commonEventObject.userLocale)
  'https://www.googleapis.com/auth/script.locale',
] as const;

/** The trigger and universal-action functions the manifest names; the bundle must declare each at top level. */
export const MANIFEST_FUNCTIONS = ['onGmailMessageOpen', 'onHomepage', 'onSettings', 'onHelp'] as const;

export function addonManifest(publicUrl: string) {
  const origin = new URL(publicUrl).origin;
  return {
    timeZone: 'Etc/UTC',
    runtimeVersion: 'V8',
    exceptionLogging: 'STACKDRIVER',
    oauthScopes: [...ADDON_SCOPES],
    urlFetchWhitelist: [`${origin}/`],
    addOns: {
      common: {
        name: 'Rapport',
        logoUrl: 'https://www.gstatic.com/images/icons/material/system/1x/people_black_48dp.png',
        layoutProperties: { primaryColor: '#1f3a5f' },
        useLocaleFromApp: true,
        // Settings' Connect Gmail opens Google's consent page (and a reconnect link may come by way of Rapport itself)
        openLinkUrlPrefixes: ['https://accounts.google.com/', `${origin}/`],
        homepageTrigger: { runFunction: 'onHomepage', enabled: true },
        universalActions: [
          { label: 'Settings', runFunction: 'onSettings' },
          { label: 'Help', runFunction: 'onHelp' },
        ],
      },
      gmail: {
        contextualTriggers: [{ unconditional: {}, onTriggerFunction: 'onGmailMessageOpen' }],
      },
    },
  };
}
