/**
 * Speech worker thread: owns one eSpeak NG WASM instance and runs synthesize() (which blocks)
 * off the main event loop. Started by SpeechPool; talks to it only with the plain-data messages
 * below. Visemes are computed here too, so the main thread only forwards results.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { EspeakEngine, type EspeakSettings, type WordTiming } from './espeak.js';
import { phonemesToVisemes, type PhonemeTiming, type VisemeFrame } from './visemes.js';

export interface ThreadData {
  /** Int32Array(1) slot: the pool stores the id of a job to cancel; synthesis polls it. */
  cancel: SharedArrayBuffer;
  /** Voices to warm after init (EspeakEngine.warmUp), so first requests are not cold; [] for none. */
  warmup: EspeakSettings[];
}

export type ToThread = { type: 'speak'; id: number; text: string; settings: EspeakSettings };

export type FromThread =
  | { type: 'ready'; initMs: number; warmupMs: number; sampleRate: number }
  | { type: 'init-error'; message: string }
  | {
      type: 'result';
      id: number;
      pcm: Int16Array;
      sampleRate: number;
      durationMs: number;
      phonemes: PhonemeTiming[];
      words: WordTiming[];
      visemes: VisemeFrame[];
      synthMs: number;
    }
  | { type: 'error'; id: number; name: string; message: string };

const port = parentPort;
if (!port) throw new Error('synth-thread must be started as a worker thread by SpeechPool');
const data = workerData as ThreadData;
const cancel = new Int32Array(data.cancel);
const post = (msg: FromThread, transfer: ArrayBuffer[] = []): void => port!.postMessage(msg, transfer);

async function init(): Promise<EspeakEngine | undefined> {
  try {
    const engine = await EspeakEngine.create();
    const warmupMs = engine.warmUp(data.warmup);
    post({ type: 'ready', initMs: engine.initMs, warmupMs, sampleRate: engine.sampleRate });
    return engine;
  } catch (e) {
    // The pool terminates this thread when it sees init-error.
    post({ type: 'init-error', message: e instanceof Error ? e.message : String(e) });
    return undefined;
  }
}

function serve(engine: EspeakEngine): void {
  port!.on('message', (msg: ToThread) => {
    if (msg.type !== 'speak') return;
    const { id } = msg;
    try {
      const t0 = performance.now();
      const r = engine.synthesize(msg.text, msg.settings, { isCancelled: () => Atomics.load(cancel, 0) === id });
      const visemes = phonemesToVisemes(r.phonemes);
      const synthMs = performance.now() - t0;
      post({ type: 'result', id, pcm: r.pcm, sampleRate: r.sampleRate, durationMs: r.durationMs, phonemes: r.phonemes, words: r.words, visemes, synthMs }, [r.pcm.buffer as ArrayBuffer]);
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      post({ type: 'error', id, name: err.name, message: err.message });
    }
  });
}

const engine = await init();
if (engine) serve(engine);
