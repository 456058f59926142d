/**
 * Turns per second through real gateway and worker processes on loopback: C concurrent
 * conversations (closed loop: each sends its next say when the previous turn ended).
 */
import WebSocket from 'ws';
import { decodeServerFrame, encodeFrame } from '@parley/protocol';
import { startStack } from '../../tools/src/start/stack.js';

export interface TurnsResult {
  label: string;
  workers: number;
  concurrency: number;
  seconds: number;
  turns: number;
  turnsPerSec: number;
  errors: number;
  audioSecondsPerSec: number;
  firstAudioMs: { p50: number; p99: number };
  totalMs: { p50: number; p99: number };
}

const LINES = ['Good evening, who are you?', 'Tell me about the castle.', 'Have you seen the old road to the north?', 'Give me your gold or die!', 'Thank you, friend.'];
const NPCS = ['vampire-lord', 'zombie', 'innkeeper', 'guard', 'oracle'];

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : NaN;
};

export async function benchTurns(opts: { label?: string; workers: number; concurrency: number; seconds: number; connections: number; workerEnv?: Record<string, string> }): Promise<TurnsResult> {
  const stack = await startStack({ workers: opts.workers, gatewayEnv: { PARLEY_LOG_LEVEL: 'warn', PARLEY_MAX_TURNS_IN_FLIGHT: '1024' }, workerEnv: { PARLEY_LOG_LEVEL: 'warn', PARLEY_WORKER_SLOTS: '64', ...opts.workerEnv } });
  try {
    const sockets = await Promise.all(
      Array.from({ length: opts.connections }, () =>
        new Promise<WebSocket>((resolve, reject) => {
          const ws = new WebSocket(stack.wsUrl, { perMessageDeflate: false });
          ws.once('open', () => {
            ws.send(encodeFrame({ t: 'hello', v: 1, token: stack.token }));
            ws.once('message', () => resolve(ws));
          });
          ws.once('error', reject);
        }),
      ),
    );
    const firstAudio: number[] = [];
    const total: number[] = [];
    let turns = 0, errors = 0, audioMs = 0, seq = 0;
    const deadline = performance.now() + opts.seconds * 1000;
    const pending = new Map<string, { next: () => void; sentAt: number; gotAudio: boolean }>();
    for (const ws of sockets) {
      ws.on('message', (data) => {
        const r = decodeServerFrame(data as Buffer);
        if (!r.ok) return;
        const f = r.frame;
        if (!('turn' in f) || f.turn === undefined) return;
        const p = pending.get(String(f.turn));
        if (!p) return;
        if (f.t === 'audio' && !p.gotAudio) {
          p.gotAudio = true;
          firstAudio.push(performance.now() - p.sentAt);
        } else if (f.t === 'error') errors++;
        else if (f.t === 'end') {
          pending.delete(String(f.turn));
          total.push(performance.now() - p.sentAt);
          if (f.reason === 'completed') {
            turns++;
            audioMs += f.audioMs ?? 0;
          }
          p.next();
        }
      });
    }
    const started = performance.now();
    await Promise.all(
      Array.from({ length: opts.concurrency }, (_, i) =>
        new Promise<void>((done) => {
          const ws = sockets[i % sockets.length]!;
          const loop = () => {
            if (performance.now() > deadline) return done();
            const turn = `b${seq++}`;
            pending.set(turn, { next: loop, sentAt: performance.now(), gotAudio: false });
            ws.send(encodeFrame({ t: 'say', turn, npc: NPCS[i % NPCS.length], player: `p${i}`, text: LINES[seq % LINES.length] }));
          };
          loop();
        }),
      ),
    );
    const seconds = (performance.now() - started) / 1000;
    for (const ws of sockets) ws.close();
    return {
      label: opts.label ?? '',
      workers: opts.workers,
      concurrency: opts.concurrency,
      seconds,
      turns,
      turnsPerSec: turns / seconds,
      errors,
      audioSecondsPerSec: audioMs / 1000 / seconds,
      firstAudioMs: { p50: pct(firstAudio, 50), p99: pct(firstAudio, 99) },
      totalMs: { p50: pct(total, 50), p99: pct(total, 99) },
    };
  } finally {
    await stack.stop();
  }
}
