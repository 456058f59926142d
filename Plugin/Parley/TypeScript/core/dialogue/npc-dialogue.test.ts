import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ServerFrame } from '@parley/protocol';
import { ParleyConnection } from '../connection/parley-connection.js';
import type { Host } from '../host.js';
import { VISEME_COUNT } from '../lipsync/ovr-visemes.js';
import { RecordingSink, rampPcm } from '../testing/recording-sink.js';
import { scriptedSockets } from '../testing/scripted-socket.js';
import { NpcDialogue, type TurnResult } from './npc-dialogue.js';

const RATE = 20_000;

function setup(opts: { followAudioSubtitles?: boolean; prebufferMs?: number } = {}) {
  const net = scriptedSockets();
  const host: Host = {
    timers: { setTimeout: (f, ms) => setTimeout(f, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout), setInterval: (f, ms) => setInterval(f, ms), clearInterval: (h) => clearInterval(h as NodeJS.Timeout) },
    now: () => Date.now(),
    random: () => 0.5,
    log: { info: () => {}, warn: () => {}, error: () => {} },
  };
  const conn = new ParleyConnection({ url: 'ws://gw/v1/ws', token: 'tok-123456', createSocket: net.create, host });
  conn.start();
  net.last().open();
  net.last().welcome();
  const sink = new RecordingSink();
  const npc = new NpcDialogue(conn, sink, { npc: 'innkeeper', player: 'p1', tier: 'silver', followAudioSubtitles: opts.followAudioSubtitles ?? true, prebufferMs: opts.prebufferMs ?? 0 }, host);
  const events: string[] = [];
  const ended: TurnResult[] = [];
  npc.addListener({
    turnStarted: (id, line) => events.push(`start ${id} ${line}`),
    subtitle: (text, delta) => events.push(`subtitle ${JSON.stringify(delta)} → ${JSON.stringify(text)}`),
    emotion: (label, i) => events.push(`emotion ${label} ${i}`),
    speaking: (on) => events.push(`speaking ${on}`),
    error: (e) => events.push(`error ${e.code}`),
    turnEnded: (r) => ended.push(r),
  });
  const gateway = (f: ServerFrame) => net.last().receive(f);
  /** One game frame: the device plays `ms` of audio, then the dialogue ticks. */
  const frame = (ms = 50) => {
    sink.play((ms / 1000) * RATE);
    npc.tick();
  };
  return { net, conn, sink, npc, events, ended, gateway, frame };
}

const turnOf = (net: ReturnType<typeof scriptedSockets>) => net.last().lastSent('say')!.turn as number;
const timings = { queueMs: 2, firstTextMs: 10, firstAudioMs: 20, totalMs: 90 };

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('NpcDialogue', () => {
  it('plays a reply: subtitles follow the audio, lips follow the playback position, one end after the audio', () => {
    const { net, npc, sink, events, ended, gateway, frame } = setup();
    npc.say('  Any rooms free tonight?  ');
    const say = net.last().lastSent('say')!;
    expect(say).toMatchObject({ npc: 'innkeeper', player: 'p1', text: 'Any rooms free tonight?', tier: 'silver' });
    const turn = turnOf(net);
    gateway({ t: 'emotion', turn, label: 'joy', intensity: 0.7 });
    gateway({ t: 'text', turn, delta: 'Aye, love. ' });
    gateway({ t: 'visemes', turn, seq: 0, frames: [[10, 0, 100, 1], [1, 100, 200, 0.9]] });
    gateway({ t: 'audio', turn, seq: 0, rate: RATE, pcm: rampPcm(200, RATE), startMs: 0 });
    gateway({ t: 'text', turn, delta: 'Room three.' });
    gateway({ t: 'visemes', turn, seq: 1, frames: [[14, 200, 300, 1]] });
    gateway({ t: 'audio', turn, seq: 1, rate: RATE, pcm: rampPcm(100, RATE, 4000), startMs: 200 });
    gateway({ t: 'end', turn, text: 'Aye, love. Room three.', tier: 'silver', degraded: false, cancelled: false, reason: 'completed', audioMs: 300, timings });
    expect(ended).toHaveLength(0); // the end frame came, but nothing was heard yet

    const w = new Float32Array(VISEME_COUNT);
    frame(0);
    expect(events).toContain('speaking true');
    expect(events.filter((e) => e.startsWith('subtitle'))).toEqual(['subtitle "Aye, love. " → "Aye, love. "']); // sentence 1 starts at 0 ms
    frame(150);
    expect(npc.visemeSource(0, 0, w)).toBe(true);
    expect(w[1]).toBeCloseTo(0.9); // 150 ms: PP
    expect(events.filter((e) => e.startsWith('subtitle'))).toHaveLength(1);
    frame(60); // 210 ms: sentence 2's audio has started
    expect(events.at(-1)).toBe('subtitle "Room three." → "Aye, love. Room three."');
    expect(npc.visemeSource(0, 0, w) && w[14]).toBe(1);
    frame(100);
    expect(ended).toHaveLength(1);
    expect(events.slice(-1)).toEqual(['speaking false']);
    expect(sink.pcm().every((s, i) => s === i)).toBe(true); // all audio, in order
    const r = ended[0]!;
    expect(r).toMatchObject({ reason: 'completed', text: 'Aye, love. Room three.', tier: 'silver', audioMs: 300, error: null });
    expect(r.latency).toMatchObject({ queueMs: 2, firstTextMs: 10, firstAudioMs: 20, serverTotalMs: 90 });
    expect(r.latency.clientFirstAudioMs).not.toBeNull();
    expect(npc.visemeSource(0, 0, w)).toBe(false);
  });

  it('Cancel stops the audio at once, closes the mouth and tells the gateway what was heard', () => {
    const { net, npc, sink, ended, gateway, frame } = setup();
    npc.say('Tell me a long story');
    const turn = turnOf(net);
    gateway({ t: 'visemes', turn, seq: 0, frames: [[10, 0, 1000, 1]] });
    gateway({ t: 'audio', turn, seq: 0, rate: RATE, pcm: rampPcm(1000, RATE), startMs: 0 });
    frame(0);
    frame(250);
    expect(npc.speaking).toBe(true);
    npc.cancel();
    expect(sink.stops).toBe(1);
    expect(npc.speaking).toBe(false);
    expect(npc.visemeSource(0, 0, new Float32Array(VISEME_COUNT))).toBe(false);
    expect(net.last().lastSent('cancel')).toEqual({ t: 'cancel', turn, heardMs: 250 });
    gateway({ t: 'audio', turn, seq: 1, rate: RATE, pcm: rampPcm(100, RATE), startMs: 1000 }); // in flight before the cancel: ignored
    gateway({ t: 'end', turn, text: 'Once', tier: 'silver', degraded: false, cancelled: true, reason: 'cancelled', audioMs: 1000, timings });
    expect(ended).toMatchObject([{ reason: 'cancelled' }]);
    expect(sink.buffers).toHaveLength(1);
  });

  it('a new line while the NPC talks cuts the old reply off (barge-in); each turn ends once', () => {
    const { net, npc, ended, gateway, frame } = setup();
    npc.say('First');
    const first = turnOf(net);
    gateway({ t: 'audio', turn: first, seq: 0, rate: RATE, pcm: rampPcm(500, RATE), startMs: 0 });
    frame(0);
    frame(100);
    npc.say('Second');
    const second = turnOf(net);
    expect(second).not.toBe(first);
    expect(net.last().lastSent('cancel')).toMatchObject({ turn: first, heardMs: 100 });
    gateway({ t: 'end', turn: first, text: '', tier: 'silver', degraded: false, cancelled: true, reason: 'cancelled', timings });
    gateway({ t: 'end', turn: second, text: 'ok', tier: 'silver', degraded: false, cancelled: false, reason: 'completed', audioMs: 0, timings });
    frame(0);
    expect(ended.map((r) => [r.turnId, r.reason])).toEqual([
      [String(first), 'cancelled'],
      [String(second), 'completed'],
    ]);
  });

  it('when the link drops mid-reply: an error at once, what arrived still plays, then one failed end', () => {
    const { net, npc, sink, events, ended, gateway, frame } = setup();
    npc.say('Hello?');
    const turn = turnOf(net);
    gateway({ t: 'audio', turn, seq: 0, rate: RATE, pcm: rampPcm(300, RATE), startMs: 0 });
    frame(0);
    net.last().serverClose(1006);
    expect(events).toContain('error connection_lost');
    expect(ended).toHaveLength(0);
    frame(200);
    expect(npc.speaking).toBe(true);
    frame(100);
    expect(ended).toMatchObject([{ reason: 'failed', error: { code: 'connection_lost' } }]);
    expect(sink.samplesPlayed()).toBe(6000);
  });

  it('a rejected turn (unknown NPC) ends with the gateway error and no audio', () => {
    const { net, npc, events, ended, gateway, frame } = setup();
    npc.say('hi');
    const turn = turnOf(net);
    gateway({ t: 'error', turn, code: 'unknown_npc', message: 'no NPC "innkeeper2"', fatal: false });
    gateway({ t: 'end', turn, text: '', tier: null, degraded: false, cancelled: false, reason: 'rejected', timings: { queueMs: null, firstTextMs: null, firstAudioMs: null, totalMs: 1 } });
    frame(0);
    expect(events).toContain('error unknown_npc');
    expect(ended).toMatchObject([{ reason: 'rejected', error: { code: 'unknown_npc' }, tier: null }]);
    expect(ended[0]!.latency.queueMs).toBeNull();
  });

  it('refuses an empty line locally', () => {
    const { net, npc, events } = setup();
    expect(npc.say('   ')).toBeNull();
    expect(events).toEqual(['error bad_input']);
    expect(net.last().lastSent('say')).toBeUndefined();
  });

  it('shows subtitles as they arrive when not following the audio', () => {
    const { net, npc, events, gateway } = setup({ followAudioSubtitles: false });
    npc.say('hi');
    gateway({ t: 'text', turn: turnOf(net), delta: 'Braaains.' });
    expect(events).toContain('subtitle "Braaains." → "Braaains."');
  });
});
