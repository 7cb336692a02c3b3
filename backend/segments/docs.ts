import type { RouteDoc } from '../openapi-kit.js';

/** The OpenAPI entries of segments, stats and tidy. */
export const segmentDocs: RouteDoc[] = [];
