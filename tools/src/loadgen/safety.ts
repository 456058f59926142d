/** Safe-by-design checks: loopback targets only (unless allowed), bounded durations. */
import { isIP } from 'node:net';

export const MAX_DURATION_S = 3600;
export const MAX_DRAIN_S = 300;

/** True when the WebSocket URL's host is a loopback name or address. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || /^::ffff:127\./.test(h) || /^(0:){7}0*1$/.test(h);
  return false;
}

/** Validates a target URL; returns an error message or null. */
export function checkTarget(url: string, allowRemote: boolean): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return `--url ${url}: not a valid URL (expected ws://HOST:PORT/v1/ws)`;
  }
  if (u.protocol !== 'ws:' && u.protocol !== 'wss:') return `--url ${url}: must start with ws:// or wss://`;
  if (!allowRemote && !isLoopbackHost(u.hostname)) {
    return `--url ${url}: refusing to load a non-loopback host (${u.hostname}). A load test can take a shared gateway down; pass --allow-remote if you really mean it.`;
  }
  return null;
}
