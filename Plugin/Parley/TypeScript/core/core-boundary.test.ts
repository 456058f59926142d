/**
 * The core is shared with any TypeScript client (browser, Node, Puerts): it must not import the
 * engine (`ue`, `puerts`), Node built-ins or `ws`, and takes protocol types only at compile time.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const CORE = import.meta.dirname;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'testing' ? [] : sources(p);
    return p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : [];
  });
}

describe('the engine-free core', () => {
  it('imports only itself, msgpackr, and protocol types', () => {
    const problems: string[] = [];
    for (const file of sources(CORE)) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/^import\s+(type\s+)?[^'"]*from\s+'([^']+)'/gm)) {
        const [, isType, spec] = m;
        const ok = spec!.startsWith('.') || spec === 'msgpackr' || (spec === '@parley/protocol' && isType);
        if (!ok) problems.push(`${relative(CORE, file)}: ${m[0]}`);
      }
      if (/\brequire\(|\bBuffer\b|\bprocess\.|TextEncoder|TextDecoder/.test(text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, ''))) problems.push(`${relative(CORE, file)}: uses a host-specific global`);
    }
    expect(problems).toEqual([]);
  });
});
