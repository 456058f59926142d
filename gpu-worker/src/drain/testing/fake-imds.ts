/**
 * A local stand-in for the EC2 instance metadata service (IMDSv2 only) for tests and drills:
 * tokens from PUT /latest/api/token, 401 for reads without a valid token, 404 until a spot
 * interruption or rebalance notice is posted.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { INSTANCE_ACTION_PATH, REBALANCE_PATH } from '../spot-watcher.js';

export interface FakeImds {
  url: string;
  /** Reads answered, and reads refused for a missing or wrong token. */
  stats: { tokens: number; reads: number; unauthorized: number };
  interrupt(action?: string, inMs?: number): void;
  recommendRebalance(): void;
  /** Forget issued tokens (as if they expired). */
  expireTokens(): void;
  close(): Promise<void>;
}

export async function startFakeImds(): Promise<FakeImds> {
  const tokens = new Set<string>();
  const docs = new Map<string, string>([['/latest/meta-data/instance-id', 'i-0123456789abcdef0']]);
  const stats = { tokens: 0, reads: 0, unauthorized: 0 };
  const server: Server = createServer((req, res) => {
    if (req.method === 'PUT' && req.url === '/latest/api/token') {
      const ttl = Number(req.headers['x-aws-ec2-metadata-token-ttl-seconds']);
      if (!(ttl >= 1 && ttl <= 21600)) return void res.writeHead(400).end();
      const t = randomUUID();
      tokens.add(t);
      stats.tokens++;
      return void res.writeHead(200, { 'content-type': 'text/plain' }).end(t);
    }
    if (req.method !== 'GET') return void res.writeHead(405).end();
    const token = req.headers['x-aws-ec2-metadata-token'];
    if (typeof token !== 'string' || !tokens.has(token)) {
      stats.unauthorized++;
      return void res.writeHead(401).end();
    }
    stats.reads++;
    const doc = docs.get(req.url ?? '');
    if (doc === undefined) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/plain' }).end(doc);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    interrupt: (action = 'terminate', inMs = 120_000) => docs.set(INSTANCE_ACTION_PATH, JSON.stringify({ action, time: new Date(Date.now() + inMs).toISOString().replace(/\.\d+Z$/, 'Z') })),
    recommendRebalance: () => docs.set(REBALANCE_PATH, JSON.stringify({ noticeTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z') })),
    expireTokens: () => tokens.clear(),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
