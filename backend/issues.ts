import type * as z from 'zod';

export type Target = 'json' | 'query' | 'param';

/**
 * A zod error as what a 400 says: the fields that are wrong (each unknown
 * one by its own name) and zod's explanation per field.
 *   describeIssues({ issues: [{ code: 'unrecognized_keys', keys: ['x'], path: [] }] }, 'json')
 *     = { fields: 'x', details: { target: 'json', issues: [{ path: 'x', code: 'unrecognized_keys', message: … }] } }
 */
export function describeIssues(error: { issues: z.core.$ZodIssue[] }, target: Target) {
  const issues = error.issues.map((i) => {
    const keys = i.code === 'unrecognized_keys' ? (i as { keys: string[] }).keys : [];
    const at = i.path.map(String).join('.');
    return { path: keys.length ? keys.map((k) => (at ? `${at}.${k}` : k)).join(', ') : at || '(body)', code: i.code, message: i.message };
  });
  return { fields: [...new Set(issues.map((i) => i.path))].join(', '), details: { target, issues } };
}
