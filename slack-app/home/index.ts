import type { App } from '@slack/bolt';

/** The App Home tab (app_home_opened) and link unfurls (link_shared). */
export function registerHome(_bolt: App) {}
