import { describe, expect, it } from 'vitest';
import { parseLoadgenArgs } from './args.js';
import { checkTarget, isLoopbackHost } from './safety.js';

describe('loadgen args', () => {
  it('parses a full command line', () => {
    const r = parseLoadgenArgs(['--url', 'ws://127.0.0.1:9000/v1/ws', '--token', 'T', '--scenario', '1000', '--out', 'o', '--processes', '2', '--npcs-per-connection', '4', '--duration', '30', '--seed', '9', '--late-ms', '5', '--overflow', 'send', '--quiet']);
    expect(r).toEqual({
      kind: 'run',
      options: { url: 'ws://127.0.0.1:9000/v1/ws', token: 'T', scenario: '1000', out: 'o', allowRemote: false, processes: 2, npcsPerConnection: 4, durationS: 30, seed: 9, lateMs: 5, overflow: 'send', quiet: true },
    });
  });
  it('takes the token from PARLEY_TOKEN, then .parley/dev.json; url from dev.json', () => {
    const env = parseLoadgenArgs(['--scenario', 'smoke'], { PARLEY_TOKEN: 'E' }, { token: 'D', url: 'ws://127.0.0.1:1/v1/ws' });
    expect(env).toMatchObject({ kind: 'run', options: { token: 'E', url: 'ws://127.0.0.1:1/v1/ws' } });
    expect(parseLoadgenArgs(['--scenario', 'smoke'], {}, { token: 'D' })).toMatchObject({ options: { token: 'D', url: 'ws://127.0.0.1:8787/v1/ws' } });
  });
  it('explains bad arguments', () => {
    const msg = (argv: string[]) => {
      const r = parseLoadgenArgs(argv, { PARLEY_TOKEN: 't' });
      return r.kind === 'error' ? r.message : '';
    };
    expect(msg([])).toMatch(/missing --scenario/);
    expect(msg(['--scenario', 's', '--processes', 'two'])).toMatch(/--processes two: must be a whole number from 1 to 64/);
    expect(msg(['--scenario', 's', '--duration', '7200'])).toMatch(/at most 3600/);
    expect(msg(['--scenario', 's', '--overflow', 'drop'])).toMatch(/queue or send/);
    expect(msg(['--scenario', 's', '--bogus'])).toMatch(/bogus/);
    expect(parseLoadgenArgs(['--scenario', 's'], {}, {})).toMatchObject({ kind: 'error', message: expect.stringMatching(/no token/) });
    expect(parseLoadgenArgs(['-h'])).toEqual({ kind: 'help' });
  });
});

describe('safety', () => {
  it('knows loopback hosts', () => {
    for (const h of ['localhost', '127.0.0.1', '127.1.2.3', '[::1]', '::1', 'app.localhost']) expect(isLoopbackHost(h)).toBe(true);
    for (const h of ['10.0.0.1', 'example.com', '0.0.0.0', '192.168.1.2', '[::]', 'localhost.example.com']) expect(isLoopbackHost(h)).toBe(false);
  });
  it('refuses remote targets unless allowed', () => {
    expect(checkTarget('ws://127.0.0.1:8787/v1/ws', false)).toBeNull();
    expect(checkTarget('ws://gateway.prod:8787/v1/ws', false)).toMatch(/--allow-remote/);
    expect(checkTarget('ws://gateway.prod:8787/v1/ws', true)).toBeNull();
    expect(checkTarget('http://127.0.0.1:8787/', false)).toMatch(/ws:\/\//);
    expect(checkTarget('nonsense', false)).toMatch(/not a valid URL/);
  });
});
