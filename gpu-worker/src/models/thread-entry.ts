/**
 * Starts a worker thread from a module URL, also when the module is TypeScript (under tsx or
 * vitest). On Node 20, `execArgv: ['--import', 'tsx']` does not apply tsx's loader to a
 * worker's entry module, so a TypeScript entry starts from a tiny eval'd bootstrap that
 * registers tsx's ESM hooks in the thread and then imports the entry (the same technique as the
 * speech pool). A compiled .js entry starts directly.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

export function startThread(url: URL, options: Omit<WorkerOptions, 'eval'> = {}): Worker {
  if (!/\.[cm]?ts$/.test(url.pathname)) return new Worker(url, options);
  const tsxDir = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const api = pathToFileURL(join(tsxDir, 'dist', 'esm', 'api', 'index.mjs')).href;
  const code = `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(code, { ...options, eval: true });
}

/** URL of a sibling module, with the extension this module runs under (.ts in development, .js when built). */
export function siblingModule(base: string, name: string): URL {
  const ext = /\.[cm]?ts$/.test(new URL(base).pathname) ? '.ts' : '.js';
  return new URL(`./${name}${ext}`, base);
}
