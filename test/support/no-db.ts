import type { Db } from '../../backend/db/port.js';

/** A Db for tests whose routes must never reach a database: every call fails loudly. */
export const noDb: Db = {
  kind: 'pglite',
  call: () => Promise.reject(new Error('no database in this test')),
  callJson: () => Promise.reject(new Error('no database in this test')),
  callPage: () => Promise.reject(new Error('no database in this test')),
  callAnonymous: () => Promise.reject(new Error('no database in this test')),
  close: async () => {},
};
