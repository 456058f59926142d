/**
 * Codec throughput: Parley's msgpack codec (encode + validated decode) vs JSON (encode +
 * parse, audio as base64) on the same frames, measured in the same run.
 */
import { decodeClientFrame, decodeRaw, decodeServerFrame, encodeFrame } from '@parley/protocol';

export interface CodecResult {
  frame: string;
  parleyPerSec: number;
  jsonPerSec: number;
  /** msgpack encode + decode without validation: what validation costs. */
  rawPerSec: number;
  ratio: number;
  parleyBytes: number;
  jsonBytes: number;
}

function rate(fn: () => void, ms = 700): number {
  for (let i = 0; i < 2000; i++) fn(); // warm up
  let n = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (let i = 0; i < 500; i++) fn();
    n += 500;
    now = performance.now();
  }
  return (n / (now - start)) * 1000;
}

export function benchCodec(): CodecResult[] {
  const pcm = new Uint8Array(4800);
  for (let i = 0; i < pcm.length; i++) pcm[i] = (i * 37) & 0xff;
  const cases: Array<{ name: string; frame: Record<string, unknown>; decode: (b: Uint8Array) => unknown; json: Record<string, unknown> }> = [
    { name: 'say (control)', frame: { t: 'say', turn: 't-1842', npc: 'vampire-lord', player: 'player-77', text: 'Good evening. Who are you, and what is this castle?' }, decode: decodeClientFrame, json: {} },
    { name: 'audio 4,800 B PCM', frame: { t: 'audio', turn: 't-1842', seq: 3, rate: 22050, pcm, startMs: 750, durationMs: 108.8 }, decode: decodeServerFrame, json: {} },
    { name: 'visemes ×40', frame: { t: 'visemes', turn: 't-1842', seq: 1, frames: Array.from({ length: 40 }, (_, i) => [i % 15, i * 60, i * 60 + 60, 1]) }, decode: decodeServerFrame, json: {} },
  ];
  return cases.map(({ name, frame, decode }) => {
    const jsonFrame = 'pcm' in frame ? { ...frame, pcm: Buffer.from(frame.pcm as Uint8Array).toString('base64') } : frame;
    const parleyBytes = encodeFrame(frame).length;
    const jsonBytes = Buffer.byteLength(JSON.stringify(jsonFrame));
    const parleyPerSec = rate(() => {
      const r = decode(encodeFrame(frame)) as { ok: boolean };
      if (!r.ok) throw new Error('decode failed');
    });
    const rawPerSec = rate(() => {
      if (!decodeRaw(encodeFrame(frame)).ok) throw new Error('decode failed');
    });
    const jsonPerSec = rate(() => {
      const o = JSON.parse(JSON.stringify(jsonFrame)) as { pcm?: string };
      if (o.pcm) Buffer.from(o.pcm, 'base64');
    });
    return { frame: name, parleyPerSec, jsonPerSec, rawPerSec, ratio: parleyPerSec / jsonPerSec, parleyBytes, jsonBytes };
  });
}
