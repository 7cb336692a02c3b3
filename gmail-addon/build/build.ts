import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { MANIFEST_FUNCTIONS, addonManifest } from './manifest.js';

const ADDON = path.resolve(import.meta.dirname, '..');
const ENTRY = path.join(ADDON, 'src/main.ts');
/** Apps Script's V8 runs ES2020 and has no module system: one script, one global scope. */
const TARGET = 'es2020';
const GLOBAL = 'RapportAddon';

/**
 * Bundles gmail-addon/src into dist/Code.js and writes dist/appsscript.json.
 * Apps Script only finds functions declared at the top level of a file, so
 * after the bundle (an IIFE assigned to RapportAddon) comes one plain
 * `function name(e) { ... }` per export of src/main.ts.
 *   await buildAddon({ publicUrl: 'https://rapport.example.com' })
 */
export async function buildAddon(opts: { publicUrl: string; outDir?: string }) {
  const url = new URL(opts.publicUrl);
  if (url.protocol !== 'https:') throw new Error(`RAPPORT_PUBLIC_URL must be https (Apps Script fetches https only): ${opts.publicUrl}`);
  const publicUrl = opts.publicUrl.replace(/\/+$/, '');
  const outDir = opts.outDir ?? path.join(ADDON, 'dist');
  const common = {
    entryPoints: [ENTRY],
    bundle: true,
    write: false,
    target: TARGET,
    platform: 'neutral' as const,
    charset: 'utf8' as const,
    legalComments: 'none' as const,
  };
  // the exports, from an ES module build of the same entry
  const esm = await esbuild.build({ ...common, format: 'esm', metafile: true });
  const exports = Object.values(esm.metafile.outputs).flatMap((o) => o.exports);
  const missing = MANIFEST_FUNCTIONS.filter((f) => !exports.includes(f));
  if (missing.length) throw new Error(`src/main.ts must export the manifest's functions: ${missing.join(', ')}`);
  const iife = await esbuild.build({
    ...common,
    format: 'iife',
    globalName: GLOBAL,
    define: { RAPPORT_BUILD_URL: JSON.stringify(publicUrl) },
  });
  const stubs = exports
    .sort()
    .map((name) => `function ${name}(e) {\n  return ${GLOBAL}.${name}(e);\n}`)
    .join('\n');
  const code = `// Rapport for Gmail: built by npm run addon:build from gmail-addon/src; do not edit.\n${iife.outputFiles![0]!.text}\n${stubs}\n`;
  await mkdir(outDir, { recursive: true });
  await writeFile(path.join(outDir, 'Code.js'), code);
  await writeFile(path.join(outDir, 'appsscript.json'), `${JSON.stringify(addonManifest(publicUrl), null, 2)}\n`);
  return { codePath: path.join(outDir, 'Code.js'), functions: exports, bytes: Buffer.byteLength(code) };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const publicUrl = process.env.RAPPORT_PUBLIC_URL;
  if (!publicUrl) {
    console.error(
      'addon:build needs RAPPORT_PUBLIC_URL, the https address of your Rapport server, e.g.\n  RAPPORT_PUBLIC_URL=https://rapport.example.com npm run addon:build',
    );
    process.exit(1);
  }
  buildAddon({ publicUrl })
    .then((r) =>
      console.log(`built ${path.relative(process.cwd(), r.codePath)} (${(r.bytes / 1024).toFixed(1)} KB, ${r.functions.length} functions) and appsscript.json`),
    )
    .catch((e) => {
      console.error(`addon:build failed: ${e instanceof Error ? e.message : e}`);
      process.exit(1);
    });
}
