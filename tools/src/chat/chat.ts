/**
 * The chat session: reads lines, sends `say`, streams the reply, prints emotion and latency,
 * saves each reply as a WAV (and plays it with --play). Separated from main.ts so tests can
 * drive it with in-memory streams.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { encodeWav, type RelationshipFrame, type ServerFrame } from '@parley/protocol';
import { ParleyClient, ParleyClientError, type TurnHandle } from '../client/parley-client.js';
import type { ChatOptions } from './args.js';
import { explainConnectError, formatEmotions, formatError, formatLatency, formatRelationship } from './format.js';
import { findPlayer as defaultFindPlayer, type PlayerCommand } from './player.js';

export interface ChatIO {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  error: NodeJS.WritableStream;
  /** A terminal: show a prompt, let readline handle Ctrl-C; otherwise echo piped lines. */
  interactive: boolean;
  /** Registers the Ctrl-C handler for signals that do not come through readline (piped stdin). */
  onInterrupt?: (handler: () => void) => void;
  findPlayer?: () => PlayerCommand | null;
  /** NPC catalog lookup (GET /v1/npcs); null when unavailable. */
  fetchCatalog?: (wsUrl: string, token: string) => Promise<{ id: string; name?: string }[] | null>;
}

/** GET /v1/npcs on the gateway's HTTP port (same host and port as the WebSocket). */
export async function fetchCatalog(wsUrl: string, token: string): Promise<{ id: string; name?: string }[] | null> {
  try {
    const u = new URL(wsUrl);
    u.protocol = u.protocol === 'wss:' ? 'https:' : 'http:';
    u.pathname = '/v1/npcs';
    u.search = '';
    const r = await fetch(u, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(1500) });
    if (!r.ok) return null;
    const body = (await r.json()) as { npcs?: unknown };
    if (!Array.isArray(body.npcs)) return null;
    return body.npcs.filter((n): n is { id: string; name?: string } => !!n && typeof (n as { id?: unknown }).id === 'string');
  } catch {
    return null;
  }
}

/** Runs a chat session; resolves with the process exit code. */
export async function runChat(o: ChatOptions, io: ChatIO): Promise<number> {
  let atLineStart = true;
  const out = (s: string) => {
    if (s.length === 0) return;
    io.output.write(s);
    atLineStart = s.endsWith('\n');
  };
  /** Ends a line of streamed text, if one is open. */
  const endLine = () => {
    if (!atLineStart) out('\n');
  };
  const err = (s: string) => io.error.write(`${s}\n`);

  const catalog = await (io.fetchCatalog ?? fetchCatalog)(o.url, o.token);
  const entry = catalog?.find((n) => n.id === o.npc);
  if (catalog && catalog.length > 0 && !entry) {
    err(`error: unknown NPC "${o.npc}". This gateway knows: ${catalog.map((n) => n.id).join(', ')}`);
    return 2;
  }
  const name = entry?.name ?? o.npc;

  let client: ParleyClient;
  try {
    client = await ParleyClient.connect({ url: o.url, token: o.token, clientName: 'parley-chat', clientVersion: '0.1.0' });
  } catch (e) {
    if (e instanceof ParleyClientError) err(`error: ${explainConnectError(e.code, e.message.replace(/^[a-z_]+: /, ''), o.url)}`);
    else err(`error: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }

  let exitCode = 0;
  let quitting = false;
  let resolveQuit!: () => void;
  const quit = new Promise<void>((r) => (resolveQuit = r));
  const stop = (code: number) => {
    if (quitting) return;
    quitting = true;
    exitCode = code;
    resolveQuit();
  };

  client.on('serverError', (f) => err(`error ${formatError(f)}`));
  client.on('close', (code, reason) => {
    if (quitting) return;
    err(`error: the connection to the gateway closed (${code}${reason ? ` ${reason}` : ''})`);
    stop(1);
  });

  const rl = createInterface({ input: io.input, ...(io.interactive ? { output: io.output, terminal: true } : { terminal: false }), crlfDelay: Infinity });
  rl.setPrompt('You > ');

  let current: TurnHandle | null = null;
  let cancelSent = false;
  let playing: ChildProcess | null = null;
  const onInterrupt = () => {
    if (playing) {
      playing.kill('SIGTERM');
      playing = null;
      endLine();
      out('  (playback stopped)\n');
      return;
    }
    if (current && !current.ended && !cancelSent) {
      cancelSent = true;
      client.cancel(current.turn);
      endLine();
      out('  (interrupting: cancel sent; Ctrl-C again to quit)\n');
      return;
    }
    if (io.interactive && !current) io.output.write('\n'); // after the readline prompt
    else endLine();
    stop(130);
  };
  rl.on('SIGINT', onInterrupt);
  io.onInterrupt?.(onInterrupt);

  out(`Connected to ${o.url} (session ${client.welcome.session}). Talking to ${name}${entry?.name ? ` (${o.npc})` : ''}.\n`);
  if (io.interactive) out('Type a line and press Enter. Ctrl-C interrupts a reply; /quit exits.\n');

  let player: PlayerCommand | null | undefined;
  let turnNo = 0;
  const lines = rl[Symbol.asyncIterator]();
  try {
    while (!quitting) {
      if (io.interactive) rl.prompt();
      const next = await Promise.race([lines.next(), quit.then(() => ({ done: true as const, value: undefined }))]);
      if (next.done || quitting) break;
      const text = next.value.trim();
      if (text.length === 0) continue;
      if (text === '/quit' || text === '/exit') break;
      if (!io.interactive) out(`You > ${text}\n`);
      if (!client.isOpen) {
        stop(1);
        break;
      }
      turnNo++;
      const turn = client.say({ npc: o.npc, player: o.player, text, ...(o.tier ? { tier: o.tier } : {}) });
      current = turn;
      cancelSent = false;
      let printedText = false;
      let relationship: RelationshipFrame | null = null;
      turn.on('frame', (f: ServerFrame) => {
        if (f.t === 'relationship') relationship = f;
      });
      turn.on('text', (f) => {
        if (!printedText) out(`${name} > `);
        printedText = true;
        out(f.delta);
      });
      const result = await Promise.race([turn.done, quit.then(() => null)]);
      current = null;
      if (!result) break;
      if (printedText) endLine();
      else if (result.end && !result.cancelled && result.errors.length === 0) out(`${name} > (no reply)\n`);
      for (const e of result.errors) err(`  error ${formatError(e)}`);
      const emotion = formatEmotions(result);
      if (emotion) out(`  emotion: ${emotion}\n`);
      if (relationship) out(`  relationship: ${formatRelationship(relationship)}\n`);
      if (result.end) out(`  ${formatLatency(result)}\n`);
      if (result.audio.length > 0 && result.sampleRate) {
        const file = join(o.out, `turn-${turnNo}.wav`);
        try {
          mkdirSync(o.out, { recursive: true });
          writeFileSync(file, encodeWav(result.audio, result.sampleRate));
          out(`  saved ${file}\n`);
        } catch (e) {
          err(`  error: cannot write ${file}: ${e instanceof Error ? e.message : String(e)}`);
          continue;
        }
        if (o.play && !quitting) {
          if (player === undefined) {
            player = (io.findPlayer ?? defaultFindPlayer)();
            if (!player) out('  (--play: no audio player found; install aplay, paplay, afplay or ffplay)\n');
          }
          if (player) await play(player, file, (p) => (playing = p), err);
          playing = null;
        }
      }
    }
  } finally {
    quitting = true;
    rl.close();
    await client.close();
  }
  return exitCode;
}

function play(p: PlayerCommand, file: string, onStart: (c: ChildProcess) => void, err: (s: string) => void): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(p.cmd, p.args(file), { stdio: 'ignore' });
    onStart(child);
    child.once('error', (e) => {
      err(`  (--play: ${p.cmd} failed: ${e.message})`);
      resolve();
    });
    child.once('exit', () => resolve());
  });
}
