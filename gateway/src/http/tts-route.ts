/**
 * POST /api/tts/generate: text → WAV plus phoneme and viseme timings, synthesized on a worker.
 * JSON by default (WAV as base64); `Accept: application/msgpack` returns msgpack with raw bytes.
 */
import { Hono } from 'hono';
import * as v from 'valibot';
import { encodeFrame, encodeWav, LIMITS, pcmBytesToInt16 } from '@parley/protocol';
import { TtsError } from '../fleet/worker-link.js';
import type { GatewayEnv } from './types.js';

const TtsBody = v.object({
  text: v.pipe(v.string('text must be a string'), v.trim(), v.minLength(1, 'text must not be empty'), v.maxLength(LIMITS.sayTextMaxChars, `text must have at most ${LIMITS.sayTextMaxChars} characters`)),
  voice: v.optional(v.pipe(v.string('voice must be a string'), v.minLength(1), v.maxLength(64))),
});

export const ttsRoute = new Hono<GatewayEnv>().post('/api/tts/generate', async (c) => {
  const { scheduler, metrics, config } = c.get('deps');
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    metrics.ttsRequests.inc({ result: 'bad_request' });
    return c.json({ error: 'bad_request', message: 'the body must be JSON: {"text": "...", "voice"?: "..."}' }, 400);
  }
  const parsed = v.safeParse(TtsBody, body);
  if (!parsed.success) {
    metrics.ttsRequests.inc({ result: 'bad_request' });
    return c.json({ error: 'bad_request', message: parsed.issues[0]!.message }, 400);
  }
  const worker = scheduler.pickAny();
  if (!worker) {
    metrics.ttsRequests.inc({ result: 'unavailable' });
    c.header('Retry-After', '1');
    return c.json({ error: 'overloaded', message: 'no worker is available for speech synthesis' }, 503);
  }
  try {
    const r = await worker.requestTts(parsed.output.text, parsed.output.voice, config.ttsTimeoutMs);
    const wav = encodeWav(pcmBytesToInt16(r.pcm), r.sampleRate);
    const payload = { sampleRate: r.sampleRate, durationMs: r.durationMs, phonemes: r.phonemes, visemes: r.visemes };
    metrics.ttsRequests.inc({ result: 'ok' });
    if ((c.req.header('accept') ?? '').includes('application/msgpack')) {
      return c.body(encodeFrame({ ...payload, wav }) as Uint8Array<ArrayBuffer>, 200, { 'content-type': 'application/msgpack' });
    }
    return c.json({ ...payload, wav: Buffer.from(wav).toString('base64') });
  } catch (err) {
    if (err instanceof TtsError && err.code === 'unknown_voice') {
      metrics.ttsRequests.inc({ result: 'bad_request' });
      return c.json({ error: 'unknown_voice', message: err.message }, 400);
    }
    metrics.ttsRequests.inc({ result: 'error' });
    return c.json({ error: 'internal', message: err instanceof Error ? err.message : 'synthesis failed' }, 502);
  }
});
