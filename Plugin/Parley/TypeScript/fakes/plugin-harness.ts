/**
 * Runs the plugin on the fakes the way UParleySubsystem starts it in the engine: with the
 * Settings/Subsystem arguments, Puerts' module objects and a Puerts-style WebSocket.
 *
 * - `source`: imports startParley directly (fast, readable failures).
 * - `bundle`: builds the shipped bundle and evaluates it in a `vm` context that has what
 *   Puerts' V8 has — timers, console, a WebSocket global, CommonJS `require` for `ue` and
 *   `puerts` only — and nothing else: no TextEncoder/TextDecoder, no Buffer, no process, no
 *   performance. The same bytes that go into Content/JavaScript run here.
 */
import vm from 'node:vm';
import type * as UE from 'ue';
import { bundleToString } from '../build/bundle.js';
import { startParley, type ParleyRuntime } from '../adapters/parley-runtime.js';
import type { WebSocketLike } from '../core/connection/websocket-like.js';
import type { Host, Logger } from '../core/host.js';
import { FakeEngine, type FakeParleySettings } from './fake-ue.js';
import { createFakePuerts, subsystemArgs, type FakePuerts } from './fake-puerts.js';

export interface HarnessOptions {
  mode: 'source' | 'bundle';
  settings?: Partial<Pick<FakeParleySettings, 'GatewayUrl' | 'AccessToken' | 'DefaultPlayerId' | 'bConnectOnStart' | 'ConnectTimeoutSeconds' | 'bAutoReconnect' | 'ReconnectInitialDelaySeconds' | 'ReconnectMaxDelaySeconds' | 'MaxReconnectAttempts' | 'AudioPrebufferMs'>>;
  WebSocket?: new (url: string) => WebSocketLike;
  /** Source mode only: host overrides (random, clock). */
  host?: Partial<Host>;
}

export interface Harness {
  engine: FakeEngine;
  puerts: FakePuerts;
  /** Every line the plugin logged, as "level: text". */
  logs: string[];
  runtime: ParleyRuntime | null;
  /** Shuts the plugin down as UParleySubsystem::Deinitialize does, then removes the mixins. */
  stop(): void;
}

let bundleText: Promise<string> | null = null;
/** The bundle, built once per test process. */
export function builtBundle(): Promise<string> {
  bundleText ??= bundleToString();
  return bundleText;
}

function capture(logs: string[]): Logger & { log: (m: string) => void } {
  const line = (level: string) => (...args: unknown[]) => void logs.push(`${level}: ${args.map(String).join(' ')}`);
  return { info: line('info'), log: line('info'), warn: line('warn'), error: line('error') };
}

export async function startHarness(opts: HarnessOptions): Promise<Harness> {
  const engine = new FakeEngine();
  Object.assign(engine.settings, opts.settings ?? {});
  const puerts = createFakePuerts(subsystemArgs(engine.settings, engine.subsystem));
  const logs: string[] = [];
  let runtime: ParleyRuntime | null = null;

  if (opts.mode === 'source') {
    const log = capture(logs);
    const g = globalThis as unknown as Host['timers'];
    const host: Host = {
      timers: { setTimeout: (f, ms) => g.setTimeout(f, ms), clearTimeout: (h) => g.clearTimeout(h), setInterval: (f, ms) => g.setInterval(f, ms), clearInterval: (h) => g.clearInterval(h) },
      now: () => performance.now(),
      random: Math.random,
      log: { info: (m) => log.info(`Parley: ${m}`), warn: (m) => log.warn(`Parley: ${m}`), error: (m) => log.error(`Parley: ${m}`) },
      ...opts.host,
    };
    runtime = startParley({ ue: engine.ue, puerts: puerts.module, WebSocket: opts.WebSocket, host });
  } else {
    const code = await builtBundle();
    const console = capture(logs);
    const mod = { exports: {} };
    const context = vm.createContext({
      console,
      setTimeout,
      clearTimeout,
      setInterval,
      clearInterval,
      ...(opts.WebSocket ? { WebSocket: opts.WebSocket } : {}),
    });
    const requireFromPuerts = (id: string): unknown => {
      if (id === 'ue') return engine.ue;
      if (id === 'puerts') return puerts.module;
      throw new Error(`the Parley bundle required "${id}"; only ue and puerts exist in Puerts`);
    };
    const wrapper = vm.runInContext(`(function (require, module, exports) {${code}\n})`, context, { filename: 'parley-main.js' }) as (r: typeof requireFromPuerts, m: typeof mod, e: object) => void;
    wrapper(requireFromPuerts, mod, mod.exports);
  }

  return {
    engine,
    puerts,
    logs,
    runtime,
    stop: () => {
      engine.endPlay();
      engine.subsystem.ParleyShutdown();
      const ue = engine.ue;
      const classes: (typeof UE.Object)[] = [ue.ParleyDialogueManagerComponent, ue.ParleyLipSyncComponent, ue.ParleyExpressionComponent, ue.ParleySubsystem];
      for (const cls of classes) puerts.module.blueprint.unmixin(cls);
    },
  };
}

/** Ticks the world at `fps` (simulated) every `realMs` until `done()` or `timeoutMs`. */
export async function runFrames(engine: FakeEngine, done: () => boolean, opts: { fps?: number; realMs?: number; timeoutMs?: number; onFrame?: () => void } = {}): Promise<void> {
  const dt = 1 / (opts.fps ?? 60);
  const deadline = Date.now() + (opts.timeoutMs ?? 15_000);
  while (!done()) {
    if (Date.now() > deadline) throw new Error('timed out waiting in the frame loop');
    engine.tick(dt);
    opts.onFrame?.();
    await new Promise((r) => setTimeout(r, opts.realMs ?? 5));
  }
}
