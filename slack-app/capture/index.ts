import type { App } from '@slack/bolt';
import type { ServiceClient } from '../backend-client.js';
import { registerChannelCapture } from './channel.js';
import { registerLogMessage } from './log-message.js';

/** "Log to Rapport" (message shortcut + contact picker) and linked-channel capture. */
export function registerCapture(bolt: App, service: ServiceClient) {
  registerLogMessage(bolt);
  registerChannelCapture(bolt, service);
}
