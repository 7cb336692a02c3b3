import { escapeHtml } from '../html.js';
import type { OpenApiDocument } from './document.js';

interface Operation {
  summary: string;
  description?: string;
  parameters: { name: string; in: string; required: boolean }[];
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { description: string }>;
}

/** GET /docs: every route with its parameters, body and answers, as a plain page; no scripts, no CDN. */
export function docsPage(doc: OpenApiDocument): string {
  const sections = Object.entries(doc.paths)
    .flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => {
        const o = op as unknown as Operation;
        const params = o.parameters.length
          ? `<p>Parameters: ${o.parameters.map((p) => `<code>${escapeHtml(p.name)}</code> (${p.in}${p.required ? ', required' : ''})`).join(', ')}</p>`
          : '';
        const body = Object.entries(o.requestBody?.content ?? {})
          .map(
            ([type, m]) =>
              `<details><summary>Request body (${escapeHtml(type)})</summary><pre>${escapeHtml(JSON.stringify(m.schema, null, 2))}</pre></details>`,
          )
          .join('');
        const responses = Object.entries(o.responses)
          .map(([code, r]) => `<li><b>${code}</b> ${escapeHtml(r.description)}</li>`)
          .join('');
        const more = o.description ? `<p>${escapeHtml(o.description)}</p>` : '';
        return `<section><h2><span class="m">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code></h2><p>${escapeHtml(o.summary)}</p>${more}${params}${body}<ul>${responses}</ul></section>`;
      }),
    )
    .join('\n');
  const schemas = Object.entries(doc.components.schemas)
    .map(
      ([name, s]) => `<details id="${escapeHtml(name)}"><summary>${escapeHtml(name)}</summary><pre>${escapeHtml(JSON.stringify(s, null, 2))}</pre></details>`,
    )
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Rapport API</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}section{border-top:1px solid #ddd;padding:.5rem 0}.m{font-size:.8em;background:#333;color:#fff;padding:.1em .4em;border-radius:3px}pre{background:#f6f6f6;padding:.5rem;overflow:auto}</style>
</head><body><h1>Rapport API</h1><p>${escapeHtml(doc.info.description)}</p><p>Machine-readable: <a href="/openapi.json">/openapi.json</a></p>${sections}<h2>Schemas</h2>${schemas}</body></html>`;
}
