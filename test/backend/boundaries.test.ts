import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SOURCE = /\.(ts|mts|cts|tsx|js|mjs|cjs)$/;

/**
 * Every module a source names: static imports and re-exports (type-only ones
 * too), side-effect imports, import(), require() and new URL(…, import.meta.url)
 * (how a worker is started). Comments are not skipped: an import written in
 * a comment counts, which errs on the safe side.
 *   specifiers("import { a } from './a.js';\nconst b = await import('../b.js');") = ['./a.js', '../b.js']
 */
function specifiers(source: string): string[] {
  const patterns = [
    /\b(?:import|export)\s[^'"`;]*?\bfrom\s*(['"])([^'"]+)\1/g,
    /\bimport\s*(['"])([^'"]+)\1/g,
    /\bimport\s*\(\s*(['"`])([^'"`$]+)\1/g,
    /\brequire\s*\(\s*(['"`])([^'"`$]+)\1/g,
    /\bnew\s+URL\s*\(\s*(['"`])([^'"`$]+)\1\s*,\s*import\.meta\.url/g,
  ];
  const found: { at: number; spec: string }[] = [];
  for (const p of patterns) for (const m of source.matchAll(p)) found.push({ at: m.index, spec: m[2]! });
  return found.sort((a, b) => a.at - b.at).map((f) => f.spec);
}

/**
 * import() or require() of something other than a literal: a scan cannot
 * tell what it loads. (Code writes no space before the parenthesis; prose
 * such as "an import (a CSV file)" does.)
 */
function opaqueLoads(source: string): string[] {
  return [...source.matchAll(/\b(?:import|require)\(\s*(?!['"`]|\))([^)\n]{0,60})/g)].map((m) => m[0]);
}

/** The source without its `import type … from` and `export type … from` statements, which compile to nothing. */
function withoutTypeImports(source: string): string {
  return source.replace(/^\s*(?:import|export)\s+type\s[^;]*?\bfrom\s*(['"`])[^'"`]+\1;?/gm, '');
}

async function sourcesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== 'dist') out.push(...(await sourcesUnder(rel)));
    } else if (SOURCE.test(entry.name)) out.push(rel);
  }
  return out;
}

/** The repository path a relative specifier of file names, or undefined for a package or a node: module. */
function resolve(file: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  return path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
}

describe('which way imports go', () => {
  it('the scan finds static, type-only, side-effect and dynamic imports, re-exports, require and worker URLs', () => {
    const source = [
      "import { a } from '../slack-app/a.js';",
      'import type {',
      '  B,',
      "} from '../../gmail-addon/src/b';",
      "export { c } from './c.js';",
      "import './d.js';",
      "const e = await import('../slack-app/e.js');",
      'const f = await import(`./f.js`);',
      "const g = require('./g.cjs');",
      "new Worker(new URL('./h.mjs', import.meta.url));",
      'const i = await import(name);',
      '// the rows of an import (a CSV file) are read once',
    ].join('\n');
    expect(specifiers(source)).toEqual([
      '../slack-app/a.js',
      '../../gmail-addon/src/b',
      './c.js',
      './d.js',
      '../slack-app/e.js',
      './f.js',
      './g.cjs',
      './h.mjs',
    ]);
    expect(opaqueLoads(source)).toEqual(['import(name']);
    expect(specifiers(withoutTypeImports(source))).toEqual(['../slack-app/a.js', './c.js', './d.js', '../slack-app/e.js', './f.js', './g.cjs', './h.mjs']);
  });

  it('no file under backend/ imports from slack-app/ or gmail-addon/', async () => {
    const files = await sourcesUnder('backend');
    expect(files.length).toBeGreaterThan(50);
    const wrong: string[] = [];
    const opaque: string[] = [];
    for (const file of files) {
      const source = await readFile(path.join(ROOT, file), 'utf8');
      for (const spec of specifiers(source)) {
        const target = resolve(file, spec);
        if (target && /^(slack-app|gmail-addon)\//.test(target)) wrong.push(`${file} imports ${spec}`);
      }
      opaque.push(...opaqueLoads(source).map((call) => `${file}: ${call}`));
    }
    // the backend is a leaf: the Slack app and the add-on import it, never the reverse
    expect(wrong).toEqual([]);
    // and every module it loads is named literally, so that this scan sees it
    expect(opaque).toEqual([]);
  });

  it('what the add-on bundle takes from outside gmail-addon/src is pure: no Node module, no package', async () => {
    // Apps Script has no Node APIs and no module system: the bundle holds only what these files import
    const seen = new Set<string>();
    const outside: string[] = [];
    const impure: string[] = [];
    const visit = async (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      if (!file.startsWith('gmail-addon/src/')) outside.push(file);
      // type-only imports (the API's response types) are erased from the bundle
      for (const spec of specifiers(withoutTypeImports(await readFile(path.join(ROOT, file), 'utf8')))) {
        const target = resolve(file, spec);
        if (!target) {
          // the add-on's own files may use zod (bundled); what it borrows from elsewhere uses nothing
          if (!file.startsWith('gmail-addon/src/') || spec.startsWith('node:')) impure.push(`${file} imports ${spec}`);
          continue;
        }
        const candidates = [target, target.replace(/\.js$/, '.ts'), `${target}.ts`, `${target}/index.ts`];
        const found = (
          await Promise.all(
            candidates.map((c) =>
              readFile(path.join(ROOT, c)).then(
                () => c,
                () => undefined,
              ),
            ),
          )
        ).find(Boolean);
        if (!found) throw new Error(`${file}: cannot find ${spec}`);
        await visit(found);
      }
    };
    for (const file of await sourcesUnder('gmail-addon/src')) await visit(file);
    expect(impure).toEqual([]);
    // the shared vocabulary, money, escaping and mail text are among them: the add-on keeps no copy of its own
    expect(outside.sort()).toEqual([
      'backend/html.ts',
      'backend/i18n/money.ts',
      'backend/i18n/name-reading.ts',
      'backend/i18n/vocabulary.ts',
      'backend/mail-text.ts',
    ]);
  });
});
