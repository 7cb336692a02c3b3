import { createApp } from '../../backend/app.js';
import { docRoutes, type DocRoute } from './route-fuzz.js';

/**
 * Every route of the document the app serves at GET /openapi.json: a route
 * declared in backend/<area>/routes.ts is fuzzed with no change to the tests.
 */
export async function servedRoutes(): Promise<DocRoute[]> {
  // serving the document reads no data: no database needed
  const res = await createApp({ db: null as never }).request('/openapi.json');
  return docRoutes((await res.json()) as Parameters<typeof docRoutes>[0]);
}
