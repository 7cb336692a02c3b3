import type { App } from '@slack/bolt';

/** "Log to Rapport" (message shortcut + contact picker) and linked-channel capture. */
export function registerCapture(_bolt: App) {}
