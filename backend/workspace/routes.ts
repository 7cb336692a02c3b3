import { call } from '../http.js';
import { jsonBody, memberRoute, ok, router } from '../openapi/route.js';
import { Workspace, WorkspacePatch } from './schemas.js';

const tags: ['workspace'] = ['workspace'];

/** The workspace: its name, defaults, internal domains and who may join by themselves (api.workspace_get, api.workspace_update). */
export const workspaceRoutes = router()
  .openapi(
    memberRoute({
      method: 'get',
      path: '/',
      operationId: 'getWorkspace',
      tags,
      summary: 'The workspace: name, defaults, internal domains, join policy and admins',
      responses: { 200: ok(Workspace, 'The workspace') },
    }),
    async (c) => c.json(await call<Workspace>(c, 'workspace_get', {}), 200),
  )
  .openapi(
    memberRoute({
      method: 'patch',
      path: '/',
      operationId: 'updateWorkspace',
      tags,
      summary: 'Change the name, defaults, internal domains or join policy (admin)',
      request: { body: jsonBody(WorkspacePatch) },
      responses: { 200: ok(Workspace, 'The workspace after the change') },
    }),
    async (c) => c.json(await call<Workspace>(c, 'workspace_update', c.req.valid('json')), 200),
  );
