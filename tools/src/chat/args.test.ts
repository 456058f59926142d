import { describe, expect, it } from 'vitest';
import { parseChatArgs } from './args.js';

describe('chat args', () => {
  it('parses options with defaults', () => {
    expect(parseChatArgs(['--npc', 'vampire-lord', '--token', 'T'])).toEqual({
      kind: 'run',
      options: { url: 'ws://127.0.0.1:8787/v1/ws', token: 'T', npc: 'vampire-lord', player: 'player', out: './parley-chat', play: false },
    });
    expect(parseChatArgs(['--npc', 'zombie', '--url', 'ws://127.0.0.1:9/v1/ws', '--player', 'Ana', '--tier', 'gold', '--out', 'o', '--play'], { PARLEY_TOKEN: 'E' })).toEqual({
      kind: 'run',
      options: { url: 'ws://127.0.0.1:9/v1/ws', token: 'E', npc: 'zombie', player: 'Ana', tier: 'gold', out: 'o', play: true },
    });
  });
  it('falls back to .parley/dev.json for url and token', () => {
    expect(parseChatArgs(['--npc', 'guard'], {}, { url: 'ws://127.0.0.1:1234/v1/ws', token: 'D' })).toMatchObject({ options: { url: 'ws://127.0.0.1:1234/v1/ws', token: 'D' } });
    expect(parseChatArgs(['--npc', 'guard', '--token', 'F'], { PARLEY_TOKEN: 'E' }, { token: 'D' })).toMatchObject({ options: { token: 'F' } });
  });
  it('explains bad arguments', () => {
    const msg = (argv: string[]) => {
      const r = parseChatArgs(argv, { PARLEY_TOKEN: 't' });
      return r.kind === 'error' ? r.message : `not an error: ${r.kind}`;
    };
    expect(msg([])).toMatch(/missing --npc/);
    expect(msg(['--npc', 'Vampire Lord'])).toMatch(/lowercase catalog id/);
    expect(msg(['--npc', 'x', '--tier', 'platinum'])).toMatch(/--tier platinum: must be one of gold, silver, bronze/);
    expect(msg(['--npc', 'x', '--url', 'http://x'])).toMatch(/ws:\/\//);
    expect(msg(['--npc', 'x', '--player', ' '])).toMatch(/--player/);
    expect(msg(['--npc', 'x', '--wat'])).toMatch(/Unknown option '--wat'/);
    expect(msg(['--npc', 'x', 'extra'])).toMatch(/positional|Unexpected argument/i);
    expect(parseChatArgs(['--npc', 'x'], {}, {})).toMatchObject({ kind: 'error', message: expect.stringMatching(/no token/) });
    expect(parseChatArgs(['--help'])).toEqual({ kind: 'help' });
  });
});
