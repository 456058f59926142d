/**
 * `npm run build:plugin`: bundles the plugin's TypeScript into
 * Plugins/Parley/Content/JavaScript/parley/parley-main.js (+ source map) and regenerates the
 * C++ face defaults table. Run it before opening the editor or packaging the game.
 */
import { build } from 'esbuild';
import { statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { bundleOptions, OUTFILE, PLUGIN_ROOT } from './bundle.js';
import { renderFaceDefaults } from './cpp-defaults.js';

export const FACE_DEFAULTS = join(PLUGIN_ROOT, 'Source', 'Parley', 'Private', 'ParleyFaceDefaults.inl');

async function main(): Promise<void> {
  const result = await build(bundleOptions({ outfile: OUTFILE, sourcemap: 'linked', metafile: true, logLevel: 'warning' }));
  if (result.errors.length > 0) process.exit(1);
  writeFileSync(FACE_DEFAULTS, renderFaceDefaults());
  const kb = (statSync(OUTFILE).size / 1024).toFixed(1);
  const cwd = process.cwd();
  console.log(`built ${relative(cwd, OUTFILE)} (${kb} KiB) and ${relative(cwd, FACE_DEFAULTS)}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
