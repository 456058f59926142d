/**
 * What the engine-free core needs from its host, injected so the same code runs in Puerts,
 * a browser or Node: timers, a clock, randomness and a logger. Puerts provides
 * setTimeout/setInterval (driven by the engine ticker) but no `performance`, so the clock is
 * passed in.
 */
export type TimerHandle = unknown;

export interface Timers {
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
  setInterval(fn: () => void, ms: number): TimerHandle;
  clearInterval(handle: TimerHandle): void;
}

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface Host {
  timers: Timers;
  /** Milliseconds, monotonic enough for latency measurements. */
  now(): number;
  /** Uniform in [0, 1). Injected so reconnect jitter and blinks are reproducible in tests. */
  random(): number;
  log: Logger;
}

/** The host of the global scope (Puerts, browsers, Node). */
export function globalHost(log: Logger = consoleLogger()): Host {
  const g = globalThis as unknown as Timers;
  return {
    timers: {
      setTimeout: (fn, ms) => g.setTimeout(fn, ms),
      clearTimeout: (h) => g.clearTimeout(h),
      setInterval: (fn, ms) => g.setInterval(fn, ms),
      clearInterval: (h) => g.clearInterval(h),
    },
    now: () => Date.now(),
    random: Math.random,
    log,
  };
}

/** Puerts routes console.* to the engine log (LogPuerts); every line starts with "Parley:". */
export function consoleLogger(prefix = 'Parley: '): Logger {
  return {
    info: (m) => console.log(prefix + m),
    warn: (m) => console.warn(prefix + m),
    error: (m) => console.error(prefix + m),
  };
}
