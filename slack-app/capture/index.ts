import type { App } from '@slack/bolt';
import type { ServiceClient } from '../backend-client.js';
import { registerChannelCapture } from './channel.js';
import { registerLinkActions } from './link-channel.js';
import { registerLogMessage } from './log-message.js';

/**
 * Capture: "Log to Rapport" (message shortcut + contact picker), the
 * conversation of a linked channel, and the buttons of `/crm link`.
 */
export function registerCapture(bolt: App, service: ServiceClient) {
  registerLogMessage(bolt);
  registerChannelCapture(bolt, service);
  registerLinkActions(bolt);
}
