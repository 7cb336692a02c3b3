import { servedRoutes } from '../support/doc-routes.js';
import { badInputProperties } from '../support/route-fuzz-suite.js';

// The other half of the routes of GET /openapi.json (see bad-input-property.test.ts).
const routes = await servedRoutes();
badInputProperties(
  routes.filter((_r, i) => i % 2 === 1),
  `routes 2 of 2: ${Math.floor(routes.length / 2)} of ${routes.length}`,
);
