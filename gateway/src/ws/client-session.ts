/**
 * `/v1/ws`: one game client connection. Enforces hello-first, auth, frame limits, turns in
 * flight, idle timeout and heartbeats; turns malformed input into error frames; owns the
 * client's turns and cancels them when the client goes away.
 */
import { randomUUID } from 'node:crypto';
import type { WebSocket, RawData } from 'ws';
import { decodeClientFrame, decodeRaw, encodeFrame, ERROR_CODES, PROTOCOL_VERSION, ProtocolError, type ErrorCode, type SayFrame, type ServerFrame, type TurnId } from '@parley/protocol';
import { VOICE_IDS, type Npc, type NpcCatalog } from '../catalog/npc-catalog.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import type { Scheduler } from '../fleet/scheduler.js';
import { keyId, type RateLimits } from '../limits/rate-limits.js';
import type { Logger } from '../logger.js';
import type { GatewayMetrics } from '../metrics.js';
import type { MemoryService } from '../memory/memory-service.js';
import { attachMemory, rememberTurn } from '../memory/turn-memory.js';
import { verifyPlayerToken } from '../memory/player-token.js';
import { Turn, type TurnSink } from '../turns/turn.js';

export interface ClientSessionDeps {
  config: GatewayConfig;
  catalog: NpcCatalog;
  scheduler: Scheduler;
  metrics: GatewayMetrics;
  checkToken(token: string): boolean;
  log: Logger;
  /** Per-player and per-key turn rates (absent: unlimited). */
  rateLimits?: RateLimits;
  /** NPC memory (absent: PARLEY_MEMORY=off). */
  memory?: MemoryService | undefined;
}

/** Above this many buffered bytes the client is not reading; its turns are failed rather than buffered without bound. */
const HIGH_WATER_BYTES = 8 * 1024 * 1024;

export class ClientSession implements TurnSink {
  readonly id = randomUUID();
  private authed = false;
  private closed = false;
  private readonly turns = new Map<TurnId, Turn>();
  private readonly helloTimer: NodeJS.Timeout;
  private readonly idleTimer: NodeJS.Timeout;
  private readonly heartbeat: NodeJS.Timeout;
  private alive = true;
  private seedCounter = 0;
  /** Which API key this session authenticated with (a hash, for rate limits). */
  private keyId = '';
  /** Set when hello carried a player token: this session speaks for that player only. */
  private boundPlayer: string | null = null;

  constructor(
    private readonly ws: WebSocket,
    private readonly deps: ClientSessionDeps,
  ) {
    const { config } = deps;
    deps.metrics.connections.inc();
    this.helloTimer = setTimeout(() => this.fatal('unauthorized', `send hello within ${config.helloTimeoutMs} ms of connecting`), config.helloTimeoutMs);
    this.idleTimer = setTimeout(() => this.fatal('idle_timeout', `no frame received for ${config.idleTimeoutMs} ms`), config.idleTimeoutMs);
    this.heartbeat = setInterval(() => {
      if (!this.alive) return this.ws.terminate();
      this.alive = false;
      this.ws.ping();
    }, config.heartbeatMs);
    ws.on('pong', () => (this.alive = true));
    ws.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    ws.on('close', () => this.onClose());
    ws.on('error', (err) => deps.log.debug({ session: this.id, err: err.message }, 'client socket error'));
  }

  send(frame: ServerFrame): void {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return;
    this.ws.send(encodeFrame(frame));
    if (frame.t === 'error') this.deps.metrics.protocolErrors.inc({ code: frame.code });
    if (this.ws.bufferedAmount > HIGH_WATER_BYTES && frame.t !== 'end' && frame.t !== 'error') {
      for (const turn of this.turns.values()) turn.fail('internal', 'the client is not reading its socket fast enough; turn dropped');
    }
  }

  turnFinished(turn: Turn): void {
    if (this.turns.get(turn.id) === turn) this.turns.delete(turn.id);
    if (turn.status === 'queued' || turn.queueDeadline) this.deps.scheduler.remove(turn);
    const m = this.deps.metrics;
    m.turnsInFlight.dec();
    m.turnsTotal.inc({ tier: turn.tier, result: turn.status });
    if (turn.tierDegraded && turn.servedTier) m.degradedTotal.inc({ tier: turn.tier, served: turn.servedTier });
    if (turn.status === 'completed') {
      const s = (t: number | null) => (t === null ? null : (t - turn.receivedAt) / 1000);
      const ft = s(turn.firstTextAt), fa = s(turn.firstAudioAt);
      if (ft !== null) m.firstText.observe({ tier: turn.tier }, ft);
      if (fa !== null) m.firstAudio.observe({ tier: turn.tier }, fa);
      m.turnDuration.observe({ tier: turn.tier }, (performance.now() - turn.receivedAt) / 1000);
    }
  }

  /** Records the turn in memory and sends its `relationship` frame; the turn's `end` waits for it. */
  turnEnding(turn: Turn): Promise<void> | undefined {
    return this.deps.memory && turn.memory ? rememberTurn(this.deps.memory, turn, (f) => this.send(f)) : undefined;
  }

  private error(code: ErrorCode, message: string, turn?: TurnId, retryAfterMs?: number): void {
    this.send({ t: 'error', code, message, fatal: ERROR_CODES[code].fatal, ...(turn !== undefined ? { turn } : {}), ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
  }

  /** Sends a fatal error, then closes with the code's WebSocket close code. */
  private fatal(code: ErrorCode, message: string): void {
    if (this.closed) return;
    this.error(code, message);
    this.ws.close(ERROR_CODES[code].close, code);
    this.closed = true;
  }

  /** Called by the upgrade handler when a frame is over maxFrameBytes (checked before decoding). */
  private onMessage(data: RawData, isBinary: boolean): void {
    if (this.closed) return;
    this.idleTimer.refresh();
    this.alive = true;
    const bytes = data as Buffer;
    if (bytes.length > this.deps.config.maxFrameBytes) return this.fatal('too_large', `frame of ${bytes.length} bytes exceeds maxFrameBytes ${this.deps.config.maxFrameBytes}`);
    if (!isBinary) {
      if (!this.authed) return this.fatal('unauthorized', 'send a binary msgpack hello frame first');
      return this.error('bad_frame', 'text frames are not accepted: send binary msgpack frames');
    }
    const r = decodeClientFrame(bytes);
    if (!r.ok) return this.onBadFrame(bytes, r.error);
    const f = r.frame;
    if (!this.authed) {
      if (f.t !== 'hello') return this.fatal('unauthorized', `the first frame must be hello, got ${f.t}`);
      clearTimeout(this.helloTimer);
      if (f.v !== PROTOCOL_VERSION) return this.fatal('unsupported_version', `protocol v${f.v} is not supported; this gateway speaks v${PROTOCOL_VERSION}`);
      if (!this.deps.checkToken(f.token)) {
        this.boundPlayer = verifyPlayerToken(this.deps.config.memory.playerTokenSecret, f.token);
        if (this.boundPlayer === null) return this.fatal('unauthorized', 'invalid token');
      }
      this.authed = true;
      this.keyId = keyId(f.token);
      const { config } = this.deps;
      this.send({ t: 'welcome', v: 1, session: this.id, heartbeatMs: config.heartbeatMs, maxFrameBytes: config.maxFrameBytes, maxTurnsInFlight: config.maxTurnsInFlight, idleTimeoutMs: config.idleTimeoutMs });
      this.deps.log.debug({ session: this.id, client: f.client }, 'client hello');
      return;
    }
    switch (f.t) {
      case 'hello':
        return this.error('bad_frame', 'hello was already received on this connection');
      case 'ping':
        return this.send({ t: 'pong', ts: f.ts });
      case 'cancel': {
        const turn = this.turns.get(f.turn);
        if (!turn) return this.error('unknown_turn', `turn ${JSON.stringify(f.turn)} is not in flight`, f.turn);
        turn.heardMs = f.heardMs;
        return this.deps.scheduler.cancel(turn, 'client');
      }
      case 'say':
        return this.onSay(f);
    }
  }

  /** A malformed frame: before hello it is fatal; a malformed say still gets its end. */
  private onBadFrame(bytes: Buffer, err: ProtocolError): void {
    if (!this.authed) return this.fatal('unauthorized', `the first frame must be a valid hello (${err.message})`);
    this.error(err.code, err.message, err.turn);
    if (err.turn === undefined || this.turns.has(err.turn)) return;
    const raw = decodeRaw(bytes);
    if (raw.ok && (raw.frame as { t?: unknown }).t === 'say') this.rejectSay(err.turn);
  }

  private rejectSay(turn: TurnId): void {
    this.send({ t: 'end', turn, text: '', tier: null, degraded: false, cancelled: false, reason: 'rejected', timings: { queueMs: null, firstTextMs: null, firstAudioMs: null, totalMs: 0 } });
  }

  private onSay(f: SayFrame): void {
    const { config, catalog } = this.deps;
    if (this.turns.has(f.turn)) return this.error('duplicate_turn', `turn ${JSON.stringify(f.turn)} is still in flight; use a new turn id`, f.turn);
    if (this.boundPlayer !== null && f.player !== this.boundPlayer) return this.fatal('unauthorized', 'this session\'s player token speaks for another player');
    const npc = catalog.get(f.npc);
    if (!npc) {
      this.error('unknown_npc', `no NPC with id ${JSON.stringify(f.npc)}; GET /v1/npcs lists them`, f.turn);
      return this.rejectSay(f.turn);
    }
    if (this.turns.size >= config.maxTurnsInFlight) {
      this.error('rate_limited', `at most ${config.maxTurnsInFlight} turns may be in flight per connection`, f.turn, 100);
      return this.rejectSay(f.turn);
    }
    const rate = this.deps.rateLimits?.check(this.keyId, f.player);
    if (rate && !rate.ok) {
      this.error('rate_limited', `more than ${rate.limit} turns per second for this ${rate.scope === 'player' ? 'player' : 'API key'}`, f.turn, rate.retryAfterMs);
      return this.rejectSay(f.turn);
    }
    const seed = hashSeed(`${this.id}:${++this.seedCounter}`);
    if (f.voice !== undefined && !(VOICE_IDS as readonly string[]).includes(f.voice)) {
      this.error('bad_frame', `voice: unknown voice ${JSON.stringify(f.voice)}; one of ${VOICE_IDS.join(', ')}`, f.turn);
      return this.rejectSay(f.turn);
    }
    const speaker = f.voice !== undefined ? { ...npc, voice: f.voice as Npc['voice'] } : npc;
    const turn = new Turn(f.turn, speaker, f.player, f.text, f.tier ?? npc.tier, seed, this);
    this.turns.set(f.turn, turn);
    this.deps.metrics.turnsInFlight.inc();
    const memory = this.deps.memory;
    if (!memory) return this.deps.scheduler.submit(turn);
    // One memory read (bounded by PARLEY_MEMORY_TIMEOUT_MS) before the turn is scheduled; a turn cancelled meanwhile is not.
    void attachMemory(memory, turn).then(() => {
      if (!turn.finished) this.deps.scheduler.submit(turn);
    });
  }

  private onClose(): void {
    this.closed = true;
    clearTimeout(this.helloTimer);
    clearTimeout(this.idleTimer);
    clearInterval(this.heartbeat);
    this.deps.metrics.connections.dec();
    for (const turn of [...this.turns.values()]) this.deps.scheduler.cancel(turn, 'disconnect');
  }

  /** Server shutdown: tell the client, then close. */
  shutdown(retryAfterMs: number): void {
    if (this.closed) return;
    this.send({ t: 'error', code: 'shutting_down', message: 'the gateway is shutting down', fatal: true, retryAfterMs });
    this.ws.close(ERROR_CODES.shutting_down.close, 'shutting_down');
    this.closed = true;
  }
}

/** FNV-1a: a stable 31-bit seed per turn (deterministic replies for the scripted backend). */
function hashSeed(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h >>> 1) & 0x7fffffff;
}
