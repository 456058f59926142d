/**
 * Bundles the plugin's TypeScript into one CommonJS file for Puerts: `ue` and `puerts` stay
 * external (Puerts provides them), everything else (msgpackr included) is inside, so the plugin
 * never clashes with a game's own scripts or node_modules.
 */
import { build, type BuildOptions } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PLUGIN_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const ENTRY = join(PLUGIN_ROOT, 'TypeScript', 'main.ts');
/** Module "parley/parley-main" for FJsEnv::Start, under the plugin's Content/JavaScript. */
export const OUTFILE = join(PLUGIN_ROOT, 'Content', 'JavaScript', 'parley', 'parley-main.js');

export const bundleOptions = (extra: BuildOptions = {}): BuildOptions => ({
  entryPoints: [ENTRY],
  bundle: true,
  format: 'cjs',
  // 'neutral': no Node built-ins, no browser shims; Puerts' V8 is neither.
  platform: 'neutral',
  mainFields: ['module', 'main'],
  target: 'es2020',
  external: ['ue', 'puerts'],
  legalComments: 'inline',
  charset: 'utf8',
  banner: { js: '// Parley for Unreal Engine: built by `npm run build:plugin`. Do not edit.' },
  logLevel: 'silent',
  ...extra,
});

/** Builds in memory; returns the bundle's text. */
export async function bundleToString(): Promise<string> {
  const r = await build(bundleOptions({ write: false, outfile: OUTFILE }));
  const out = r.outputFiles?.find((o) => o.path.endsWith('.js'));
  if (!out) throw new Error('esbuild produced no output');
  return out.text;
}
