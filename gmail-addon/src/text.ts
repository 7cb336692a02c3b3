/** The text of an email, as the backend's inbound mail reads it too: one implementation (backend/mail-text.ts), bundled in. */
export * from '../../backend/mail-text.js';
