import type { RouteDoc } from '../openapi-kit.js';

/** The OpenAPI entries of imports and exports. */
export const importDocs: RouteDoc[] = [];
