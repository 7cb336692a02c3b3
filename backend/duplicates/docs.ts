import type { RouteDoc } from '../openapi-kit.js';

/** The OpenAPI entries of duplicates, merge and undo. */
export const duplicateDocs: RouteDoc[] = [];
