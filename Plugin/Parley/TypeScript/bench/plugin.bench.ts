/**
 * Plugin benchmarks (prints numbers; no assertions):
 *   npx tsx Plugin/Parley/TypeScript/bench/plugin.bench.ts
 *
 * 1. Game-thread cost of one NPC's face per frame while speaking: viseme sampling, smoothing,
 *    mapping, expression blend, blink, layering and morph-target writes (to a no-op mesh).
 * 2. The bundled codec (pure JS msgpackr, initialised without TextEncoder/TextDecoder, as in
 *    Puerts' V8) against msgpackr as Node loads it (native string extraction), for the frames
 *    a client receives most.
 */
import { build } from 'esbuild';
import { join } from 'node:path';
import { encodeFrame, type VisemeTuple } from '@parley/protocol';
import { bundleOptions, PLUGIN_ROOT } from '../build/bundle.js';
import { Blinker, DEFAULT_BLINK } from '../core/expression/blinker.js';
import { defaultEmotionPresets } from '../core/expression/emotion-presets.js';
import { DEFAULT_EXPRESSION, ExpressionBlender } from '../core/expression/expression-blender.js';
import { FaceMixer } from '../core/face/face-mixer.js';
import { DEFAULT_LIP_SYNC, LipSyncDriver } from '../core/lipsync/lip-sync-driver.js';
import { VISEME_PRESETS } from '../core/lipsync/viseme-mapping.js';
import { VisemeTrack } from '../core/lipsync/viseme-track.js';
import { decodeMessage } from '../core/protocol/wire-codec.js';
import { parseServerFrame } from '../core/protocol/server-frames.js';

const quiet = { info() {}, warn() {}, error() {} };

function faceFrameCost(npcs: number, frames: number): number {
  const rigs = Array.from({ length: npcs }, (_, i) => {
    const track = new VisemeTrack();
    const tuples: VisemeTuple[] = [];
    for (let t = 0; t < 20_000; t += 80) tuples.push([(t / 80 + i) % 15, t, t + 80, 1]);
    track.add(tuples);
    let writes = 0;
    const mixer = new FaceMixer({ available: () => null, set: () => void writes++, describe: () => 'bench' }, quiet);
    const lips = new LipSyncDriver({ mapping: VISEME_PRESETS.arkit, ...DEFAULT_LIP_SYNC });
    const expr = new ExpressionBlender({ presets: defaultEmotionPresets(), ...DEFAULT_EXPRESSION });
    expr.setEmotion('joy', 0.8);
    const blink = new Blinker(DEFAULT_BLINK, Math.random);
    const blinkLayer = new Map<string, number>();
    return { track, mixer, lips, expr, blink, blinkLayer };
  });
  const dt = 1 / 60;
  const t0 = performance.now();
  for (let f = 0; f < frames; f++) {
    const pos = f * dt * 1000;
    for (const r of rigs) {
      r.mixer.setLayer('lips', r.lips.update(dt, (blend, latency, out) => (r.track.sample(pos - latency, blend, out), true)));
      r.mixer.setLayer('expression', r.expr.update(dt));
      const c = r.blink.update(dt);
      r.blinkLayer.set('eyeBlinkLeft', c);
      r.blinkLayer.set('eyeBlinkRight', c);
      r.mixer.setLayer('blink', r.blinkLayer);
      r.mixer.flush();
    }
  }
  return ((performance.now() - t0) * 1000) / (npcs * frames);
}

function rate(fn: () => void, ms = 400): number {
  for (let i = 0; i < 200; i++) fn();
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < ms) {
    for (let i = 0; i < 100; i++) fn();
    n += 100;
  }
  return n / ((performance.now() - t0) / 1000);
}

async function codecRates(): Promise<void> {
  const r = await build(
    bundleOptions({
      entryPoints: undefined,
      stdin: {
        contents: `import { decodeMessage } from './core/protocol/wire-codec.ts'; import { parseServerFrame } from './core/protocol/server-frames.ts'; globalThis.decode = (ab) => parseServerFrame(decodeMessage(ab).value);`,
        resolveDir: join(PLUGIN_ROOT, 'TypeScript'),
        loader: 'ts',
      },
      write: false,
      format: 'iife',
    }),
  );
  // Load the bundle in this realm (a vm context's global interceptors would distort timings),
  // with TextEncoder/TextDecoder absent while msgpackr initialises, as in Puerts.
  const g = globalThis as Record<string, unknown>;
  const saved = { TextEncoder: g.TextEncoder, TextDecoder: g.TextDecoder };
  g.TextEncoder = undefined;
  g.TextDecoder = undefined;
  const sandbox: { decode?: (ab: ArrayBuffer) => unknown } = {};
  new Function('globalThis', r.outputFiles![0]!.text)(sandbox);
  Object.assign(g, saved);
  const vmDecode = sandbox.decode!;
  const nodeDecode = (ab: ArrayBuffer) => parseServerFrame((decodeMessage(ab) as { value: unknown }).value);
  const pcm = new Uint8Array(22050 * 0.25 * 2); // a 250 ms audio frame at 22.05 kHz
  const frames = {
    'text (sentence, 120 chars, non-ASCII)': { t: 'text', turn: 12, delta: 'Aye, love — the Gilded Goose has rooms; “three silver” a night, breakfast and a warm fire included. Süß! '.slice(0, 120) },
    'audio (250 ms PCM)': { t: 'audio', turn: 12, seq: 3, rate: 22050, pcm, startMs: 750, durationMs: 250 },
    'visemes (40 frames)': { t: 'visemes', turn: 12, seq: 3, frames: Array.from({ length: 40 }, (_, i) => [i % 15, i * 20, i * 20 + 20, 1]) },
  } as const;
  console.log('\ncodec: frames decoded + parsed per second (one core)');
  console.log('frame'.padEnd(40), 'bundle, no TextDecoder'.padStart(24), 'Node msgpackr (native)'.padStart(24));
  for (const [name, frame] of Object.entries(frames)) {
    const bytes = encodeFrame(frame);
    const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    const a = rate(() => vmDecode(ab));
    const b = rate(() => nodeDecode(ab));
    console.log(name.padEnd(40), `${Math.round(a / 1000)}k/s`.padStart(24), `${Math.round(b / 1000)}k/s`.padStart(24));
  }
}

async function main(): Promise<void> {
  console.log('face per NPC per frame (lips + expression + blink + layering), 60 fps, ARKit mapping:');
  for (const npcs of [1, 10, 100]) {
    const us = faceFrameCost(npcs, npcs >= 100 ? 600 : 3000);
    console.log(`  ${String(npcs).padStart(3)} NPCs speaking: ${us.toFixed(1)} µs per NPC-frame → ${((us * npcs) / 1000).toFixed(2)} ms per frame for all`);
  }
  await codecRates();
}

void main();
