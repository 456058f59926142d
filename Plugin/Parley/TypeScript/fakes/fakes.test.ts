/** The fakes behave like Puerts and the engine where it matters to the plugin. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import type { AddressInfo } from 'node:net';
import { FakeTMap } from './fake-containers.js';
import { FakeEngine, FakeParleyDialogueManagerComponent } from './fake-ue.js';
import { createFakePuerts } from './fake-puerts.js';
import { PuertsWebSocket } from './fake-puerts-websocket.js';

describe('fake ue module', () => {
  it('resolves classes lazily and throws for unknown types, like loadUEType', () => {
    const { ue } = new FakeEngine();
    expect(ue.ParleyDialogueManagerComponent).toBe(FakeParleyDialogueManagerComponent);
    expect(() => (ue as unknown as Record<string, unknown>).ParleyDialogManager).toThrow('can not find type:ParleyDialogManager');
    expect(Object.keys(ue)).toEqual(['ParleyDialogueManagerComponent']); // only what was touched
    expect(ue.EParleyTier.Gold).toBe(1);
    expect(ue.EParleyTier.EParleyTier_MAX).toBe(4);
  });

  it('TMap iterates a sparse index range', () => {
    const m = new FakeTMap<string, number>([['a', 1], ['b', 2], ['c', 3]]);
    m.Remove('b');
    expect(m.Num()).toBe(2);
    expect(m.GetMaxIndex()).toBe(3);
    expect(m.IsValidIndex(1)).toBe(false);
    expect(m.Get('b')).toBeUndefined();
  });
});

describe('fake puerts.blueprint.mixin', () => {
  it('overrides BlueprintNativeEvents and refuses native functions the engine would never route to script', () => {
    const p = createFakePuerts({});
    const c = new FakeParleyDialogueManagerComponent();
    c.Say('x');
    expect(c.nativeWarnings).toEqual(['Say: Parley script is not running']);
    class Good {
      Say(this: FakeParleyDialogueManagerComponent, text: string) {
        this.Subtitle = `script heard ${text}`;
      }
    }
    class Bad {
      HandleSubtitle() {}
    }
    p.module.blueprint.mixin(FakeParleyDialogueManagerComponent as never, Good as never);
    c.Say('hello');
    expect(c.Subtitle).toBe('script heard hello');
    expect(() => p.module.blueprint.mixin(FakeParleyDialogueManagerComponent as never, Good as never)).toThrow(/already mixed in/);
    p.module.blueprint.unmixin(FakeParleyDialogueManagerComponent as never);
    expect(() => p.module.blueprint.mixin(FakeParleyDialogueManagerComponent as never, Bad as never)).toThrow(/HandleSubtitle is a native function/);
    c.Say('again');
    expect(c.nativeWarnings).toHaveLength(2); // unmixin restored the native fallback
  });
});

describe('PuertsWebSocket (websocketpp.js behaviour)', () => {
  let wss: WebSocketServer;
  let url: string;
  beforeAll(async () => {
    wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((r) => wss.once('listening', r));
    url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
    wss.on('connection', (s) => s.on('message', (d, isBinary) => s.send(d, { binary: isBinary })));
  });
  afterAll(() => new Promise<void>((r) => wss.close(() => r())));

  it('EventTarget only, async events, binary as ArrayBuffer, throws on early send and on protocols', async () => {
    expect(() => new PuertsWebSocket(url, ['v1'])).toThrow('do not support protocols argument');
    const ws = new PuertsWebSocket(url);
    expect('onmessage' in ws).toBe(false);
    expect(() => ws.send(new Uint8Array([1]))).toThrow(/not open: readyState 0 \(CONNECTING\)/);
    const got: unknown[] = [];
    await new Promise<void>((resolve) => {
      ws.addEventListener('open', () => {
        let sync = true;
        ws.send(new Uint8Array([7, 8, 9]));
        ws.addEventListener('message', (ev: { data: unknown }) => {
          got.push(sync, Object.prototype.toString.call(ev.data), [...new Uint8Array(ev.data as ArrayBuffer)]);
          resolve();
        });
        sync = false;
      });
    });
    expect(got).toEqual([false, '[object ArrayBuffer]', [7, 8, 9]]);
    const closes: unknown[] = [];
    ws.addEventListener('close', (ev: unknown) => closes.push(ev));
    ws.close(1000, 'bye');
    await new Promise((r) => setTimeout(r, 30));
    expect(closes).toEqual([]); // no events after a local close
    expect(ws.readyState).toBe(PuertsWebSocket.CLOSED);
  });

  it('a dropped network shows as a close event with code 1006', async () => {
    const ws = new PuertsWebSocket(url);
    await new Promise<void>((r) => ws.addEventListener('open', () => r()));
    const closed = new Promise<{ code: number }>((r) => ws.addEventListener('close', r));
    for (const client of wss.clients) client.terminate();
    expect((await closed).code).toBe(1006);
  });
});
