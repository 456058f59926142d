import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { decodeWav } from '@parley/protocol';
import { REPO_ROOT } from '../client/dev-config.js';
import { FakeGateway, type FakeGatewayOptions } from '../loadgen/testing/fake-gateway.js';
import { runChat } from './chat.js';

let gw: FakeGateway | null = null;
const dirs: string[] = [];
afterEach(async () => {
  await gw?.close();
  gw = null;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'parley-chat-'));
  dirs.push(d);
  return d;
};

function session(gwOpts: FakeGatewayOptions = {}, catalog: { id: string; name?: string }[] | null = [{ id: 'vampire-lord', name: 'Lord Casimir Vordane' }]) {
  const input = new PassThrough();
  const output = new PassThrough();
  const error = new PassThrough();
  let stdout = '';
  let stderr = '';
  output.on('data', (d: Buffer) => (stdout += d.toString()));
  error.on('data', (d: Buffer) => (stderr += d.toString()));
  let interrupt: () => void = () => {};
  const out = tmp();
  const start = async () => {
    gw = await FakeGateway.start({ firstTextMs: 2, firstAudioMs: 5, chunkIntervalMs: 2, audioChunks: 3, chunkAudioMs: 100, sampleRate: 16000, ...gwOpts });
    return runChat(
      { url: gw.url, token: gw.token, npc: 'vampire-lord', player: 'tester', out, play: false },
      { input, output, error, interactive: false, onInterrupt: (h) => (interrupt = h), fetchCatalog: async () => catalog },
    );
  };
  return { input, start, out, stdout: () => stdout, stderr: () => stderr, interrupt: () => interrupt() };
}

describe('chat session', () => {
  it('streams replies, prints emotion and latency, saves a WAV per turn, exits after piped input', async () => {
    const s = session();
    s.input.end('Good evening.\n\nWho are you?\n');
    const code = await s.start();
    expect(code).toBe(0);
    const lines = s.stdout().split('\n');
    expect(lines).toContain('You > Good evening.');
    expect(lines).toContain('Lord Casimir Vordane > You said: Good evening.');
    expect(lines).toContain('  emotion: neutral 0.50');
    expect(s.stdout()).toMatch(/ {2}queue \S+ ms · first text \d+ ms · first audio \d+ ms · total \d+ ms · audio 0\.3 s · tier bronze\n/);
    expect(s.stdout()).toContain(`  saved ${join(s.out, 'turn-2.wav')}`);
    const wav = decodeWav(readFileSync(join(s.out, 'turn-1.wav')));
    expect(wav.sampleRate).toBe(16000);
    expect(wav.pcm.length).toBe(3 * 1600);
    expect(s.stderr()).toBe('');
    expect(gw!.stats.says).toBe(2);
  });

  it('/quit stops reading', async () => {
    const s = session();
    s.input.end('hello\n/quit\nnever sent\n');
    expect(await s.start()).toBe(0);
    expect(gw!.stats.says).toBe(1);
  });

  it('Ctrl-C during a reply sends cancel; Ctrl-C when idle exits', async () => {
    const s = session({ firstAudioMs: 5000 });
    const code = s.start();
    s.input.write('Tell me a long story.\n');
    await waitFor(() => s.stdout().includes('You said'));
    s.interrupt();
    await waitFor(() => s.stdout().includes('cancelled'));
    expect(s.stdout()).toMatch(/interrupting: cancel sent/);
    expect(gw!.stats.cancels).toBe(1);
    s.interrupt();
    expect(await code).toBe(130);
  });

  it('server errors are printed as code + message', async () => {
    const s = session({ failEvery: 1 });
    s.input.end('hi\n');
    expect(await s.start()).toBe(0);
    expect(s.stderr()).toBe('  error overloaded: injected overload (retry after 100 ms)\n');
    expect(existsSync(join(s.out, 'turn-1.wav'))).toBe(false);
  });

  it('an unknown NPC is refused with the catalog', async () => {
    const s = session({}, [{ id: 'zombie' }, { id: 'guard' }]);
    expect(await s.start()).toBe(2);
    expect(s.stderr()).toMatch(/unknown NPC "vampire-lord". This gateway knows: zombie, guard/);
  });
});

describe('chat CLI (real process, piped stdin)', () => {
  it('runs main.ts end to end and reports bad tokens without a stack trace', async () => {
    gw = await FakeGateway.start({ firstTextMs: 2, firstAudioMs: 5, chunkIntervalMs: 2 });
    const out = tmp();
    const run = (args: string[], stdin: string) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'tools/src/chat/main.ts', ...args], { cwd: REPO_ROOT, env: { ...process.env, PARLEY_TOKEN: '' } });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('exit', (code) => resolve({ code, stdout, stderr }));
        child.stdin.end(stdin);
      });
    const ok = await run(['--npc', 'vampire-lord', '--url', gw.url, '--token', gw.token, '--out', out], 'Good evening.\n');
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/vampire-lord > You said: Good evening\.\n {2}emotion: neutral 0\.50\n {2}queue .* · tier bronze\n {2}saved .*turn-1\.wav\n/);
    const bad = await run(['--npc', 'vampire-lord', '--url', gw.url, '--token', 'nope', '--out', out], 'hi\n');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error: unauthorized: invalid token\./);
    expect(bad.stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });
});

async function waitFor(cond: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}
