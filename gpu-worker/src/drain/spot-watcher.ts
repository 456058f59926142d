/**
 * Watches for EC2 spot interruption notices (`spot/instance-action`: the instance stops or
 * terminates at `time`, two minutes after the notice) and rebalance recommendations
 * (`events/recommendations/rebalance`: elevated risk of interruption). The first one seen
 * fires `onNotice` once; then watching stops.
 */
import type { Logger } from 'pino';
import { ImdsClient } from './imds-client.js';
import type { SpotConfig } from './drain-config.js';

export type SpotNotice =
  | { kind: 'interruption'; action: string; at: Date | null }
  | { kind: 'rebalance'; at: Date | null };

export const INSTANCE_ACTION_PATH = '/latest/meta-data/spot/instance-action';
export const REBALANCE_PATH = '/latest/meta-data/events/recommendations/rebalance';

export class SpotWatcher {
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private failures = 0;
  private readonly imds: ImdsClient;

  constructor(
    private readonly config: SpotConfig,
    private readonly log: Logger,
    private readonly onNotice: (n: SpotNotice) => void,
  ) {
    this.imds = new ImdsClient(config.imdsEndpoint);
  }

  /** Starts watching. In `auto` mode, an instance metadata service that does not answer means "not on EC2": no watching. */
  async start(): Promise<boolean> {
    if (this.config.mode === 'off') return false;
    if (this.config.mode === 'auto') {
      try {
        await this.imds.get('/latest/meta-data/instance-id');
      } catch {
        this.log.info({ imds: this.config.imdsEndpoint }, 'no instance metadata service answered; spot notices are not watched');
        return false;
      }
    }
    this.log.info({ imds: this.config.imdsEndpoint, pollMs: this.config.pollMs }, 'watching for spot interruption and rebalance notices');
    this.schedule(0);
    return true;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.poll(), ms);
    this.timer.unref();
  }

  /** One poll; exported behaviour for tests through start(). */
  private async poll(): Promise<void> {
    try {
      const notice = await this.check();
      this.failures = 0;
      if (notice) {
        this.stop();
        this.onNotice(notice);
        return;
      }
    } catch (err) {
      // Log the first failure and then every 12th, not every poll.
      if (this.failures++ % 12 === 0) this.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'instance metadata poll failed');
    }
    this.schedule(this.config.pollMs);
  }

  async check(): Promise<SpotNotice | null> {
    const action = await this.imds.get(INSTANCE_ACTION_PATH);
    if (action !== null) {
      const body = parseJson(action);
      return { kind: 'interruption', action: typeof body?.action === 'string' ? body.action : 'terminate', at: parseDate(body?.time) };
    }
    const rebalance = await this.imds.get(REBALANCE_PATH);
    if (rebalance !== null) return { kind: 'rebalance', at: parseDate(parseJson(rebalance)?.noticeTime) };
    return null;
  }
}

function parseJson(s: string): Record<string, unknown> | null {
  try {
    const x = JSON.parse(s) as unknown;
    return x && typeof x === 'object' ? (x as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function parseDate(x: unknown): Date | null {
  if (typeof x !== 'string') return null;
  const d = new Date(x);
  return Number.isNaN(d.getTime()) ? null : d;
}
