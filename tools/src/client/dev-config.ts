/** Finds the development URL and token that `npm start` writes to .parley/dev.json. */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const DEV_FILE = join(REPO_ROOT, '.parley', 'dev.json');
export const DEFAULT_WS_URL = 'ws://127.0.0.1:8787/v1/ws';

export interface DevConfig {
  url?: string;
  token?: string;
}

/** Reads .parley/dev.json; returns {} when it is missing or unreadable. */
export function readDevConfig(path = DEV_FILE): DevConfig {
  try {
    const raw = JSON.parse(readFileSync(path, 'utf8')) as { url?: unknown; token?: unknown };
    return {
      ...(typeof raw.url === 'string' ? { url: raw.url } : {}),
      ...(typeof raw.token === 'string' ? { token: raw.token } : {}),
    };
  } catch {
    return {};
  }
}

/** Token precedence: --token, then PARLEY_TOKEN, then .parley/dev.json. */
export function resolveToken(flag: string | undefined, env: NodeJS.ProcessEnv, dev: DevConfig): string | undefined {
  return flag ?? (env.PARLEY_TOKEN || undefined) ?? dev.token;
}
