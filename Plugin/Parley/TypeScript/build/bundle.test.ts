/**
 * The shipped bundle: self-contained CommonJS with only `ue` and `puerts` external, and a codec
 * that works in a V8 without TextEncoder/TextDecoder/Buffer (Puerts).
 */
import { readFileSync } from 'node:fs';
import vm from 'node:vm';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { decodeClientFrame, decodeServerFrame, encodeFrame } from '@parley/protocol';
import { builtBundle, startHarness } from '../fakes/plugin-harness.js';
import { bundleOptions, PLUGIN_ROOT } from './bundle.js';
import { renderFaceDefaults } from './cpp-defaults.js';
import { join } from 'node:path';

/** A context with only what Puerts' V8 offers a script. */
function puertsLikeContext(extra: Record<string, unknown> = {}): vm.Context {
  const ctx = vm.createContext({ console, setTimeout, clearTimeout, setInterval, clearInterval, ...extra });
  expect(vm.runInContext('[typeof TextEncoder, typeof TextDecoder, typeof Buffer, typeof process, typeof require]', ctx)).toEqual(['undefined', 'undefined', 'undefined', 'undefined', 'undefined']);
  return ctx;
}

describe('plugin bundle', () => {
  it('requires nothing but ue and puerts', async () => {
    const code = await builtBundle();
    const required = new Set([...code.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]));
    expect([...required].sort()).toEqual(['puerts', 'ue']);
    expect(code).not.toMatch(/\bimport\s*\(/); // no dynamic imports either
  });

  it('starts in a Puerts-like V8 context and mixes into the four native classes', async () => {
    const h = await startHarness({ mode: 'bundle', settings: { bConnectOnStart: false } });
    expect([...h.puerts.mixed].sort()).toEqual(['ParleyDialogueManagerComponent', 'ParleyExpressionComponent', 'ParleyLipSyncComponent', 'ParleySubsystem']);
    expect(h.logs).toContain('info: Parley: started (gateway ws://127.0.0.1:8787/v1/ws)');
    h.stop();
    expect(h.puerts.mixed.size).toBe(0);
  });

  it('says clearly when Puerts was built without WebSocket support', async () => {
    const h = await startHarness({ mode: 'bundle', settings: { bConnectOnStart: true } });
    expect(h.logs.some((l) => /WithWebsocket = true/.test(l))).toBe(true);
    expect(h.engine.subsystem.ConnectionState).not.toBe(h.engine.ue.EParleyConnectionState.Connected);
    h.stop();
  });

  it('its msgpack codec round-trips non-ASCII text and binary without TextEncoder/TextDecoder', async () => {
    const r = await build(
      bundleOptions({
        entryPoints: undefined,
        stdin: {
          contents: `import { encodeMessage, decodeMessage } from './core/protocol/wire-codec.ts'; import { parseServerFrame } from './core/protocol/server-frames.ts'; globalThis.codec = { encodeMessage, decodeMessage, parseServerFrame };`,
          resolveDir: join(PLUGIN_ROOT, 'TypeScript'),
          loader: 'ts',
        },
        write: false,
        format: 'iife',
      }),
    );
    const ctx = puertsLikeContext();
    vm.runInContext(r.outputFiles![0]!.text, ctx);
    const long = 'Grüß Gott, 旅人よ — “welcome” 🦇 '.repeat(6).trim(); // > 64 bytes: msgpackr's TextDecoder path when one exists

    // client → gateway: the gateway's validating decoder accepts what the plugin encodes in Puerts
    const encoded = vm.runInContext(`codec.encodeMessage({ t: 'say', turn: 1, npc: 'vampire-lord', player: 'Ærin', text: ${JSON.stringify(long)} })`, ctx) as Uint8Array;
    expect(decodeClientFrame(new Uint8Array(encoded))).toEqual({ ok: true, frame: { t: 'say', turn: 1, npc: 'vampire-lord', player: 'Ærin', text: long } });

    // gateway → client: what the gateway encodes decodes inside the context
    for (const frame of [
      { t: 'text', turn: 1, delta: long },
      { t: 'audio', turn: 1, seq: 0, rate: 22050, pcm: new Uint8Array([1, 2, 3, 4]), startMs: 0, durationMs: 0.09 },
    ] as const) {
      const bytes = encodeFrame(frame);
      ctx.input = Array.from(bytes);
      const out = vm.runInContext('(() => { const r = codec.decodeMessage(new Uint8Array(input).buffer); const p = codec.parseServerFrame(r.value); return JSON.stringify(p, (k, v) => (v instanceof Uint8Array ? Array.from(v) : v)); })()', ctx) as string;
      expect(decodeServerFrame(bytes).ok).toBe(true); // a valid gateway frame
      expect(JSON.parse(out)).toEqual({ kind: 'frame', frame: JSON.parse(JSON.stringify(frame, (k, v) => (v instanceof Uint8Array ? Array.from(v) : v))) });
    }
  });

  it('the C++ face defaults are generated from the TypeScript tables and up to date', () => {
    const onDisk = readFileSync(join(PLUGIN_ROOT, 'Source', 'Parley', 'Private', 'ParleyFaceDefaults.inl'), 'utf8');
    expect(onDisk).toBe(renderFaceDefaults());
  });
});
