import type { App } from '@slack/bolt';

/**
 * The modals: the buttons that open them (Edit, Add note, Add follow-up, Log
 * call, Create contact), their submissions, and More history.
 */
export function registerViews(_bolt: App) {}
