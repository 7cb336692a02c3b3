// The worker thread an import is prepared in (worker-client.ts starts it).
// Plain JavaScript, so that it starts the same under `node --import tsx`,
// vitest and any other runner: it registers tsx, then loads the TypeScript.
import { register } from 'tsx/esm/api';

register();
await import('./prepare-worker-main.ts');
