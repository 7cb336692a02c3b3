import { servedRoutes } from '../support/doc-routes.js';
import { badInputProperties } from '../support/route-fuzz-suite.js';

// Half of the routes of GET /openapi.json (the other half: bad-input-property-2.test.ts),
// so that the two files run side by side on two cores.
const routes = await servedRoutes();
badInputProperties(
  routes.filter((_r, i) => i % 2 === 0),
  `routes 1 of 2: ${Math.ceil(routes.length / 2)} of ${routes.length}`,
);
