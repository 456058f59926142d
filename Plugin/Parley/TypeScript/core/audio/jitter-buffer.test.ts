import { describe, expect, it } from 'vitest';
import { RecordingSink, rampPcm } from '../testing/recording-sink.js';
import { AudioJitterBuffer } from './jitter-buffer.js';

const RATE = 20_000; // 20 samples per ms keeps the arithmetic readable

function chunk(seq: number, startMs: number, ms: number) {
  return { seq, startMs, rate: RATE, pcm: rampPcm(ms, RATE, startMs * 20) };
}

describe('AudioJitterBuffer', () => {
  it('waits for the prebuffer, then plays everything in order', () => {
    const sink = new RecordingSink();
    const jb = new AudioJitterBuffer(sink, 120);
    jb.push(chunk(0, 0, 100));
    jb.pump();
    expect(sink.begins).toBe(0); // 100 ms < 120 ms prebuffer
    expect(jb.state).toBe('buffering');
    jb.push(chunk(1, 100, 100));
    jb.pump();
    expect(sink.begins).toBe(1);
    expect(sink.rate).toBe(RATE);
    expect(jb.state).toBe('playing');
    expect(sink.samplesQueued).toBe(4000);
    const pcm = sink.pcm();
    expect(pcm.every((s, i) => s === i % 32768)).toBe(true);
  });

  it('releases out-of-order chunks in seq order', () => {
    const sink = new RecordingSink();
    const jb = new AudioJitterBuffer(sink, 0);
    jb.push(chunk(1, 50, 50));
    jb.pump();
    expect(sink.begins).toBe(0); // seq 0 missing: nothing contiguous yet
    jb.push(chunk(0, 0, 50));
    jb.pump();
    expect(sink.pcm().every((s, i) => s === i)).toBe(true);
    expect(sink.samplesQueued).toBe(2000);
  });

  it('a short reply plays at once when complete, without waiting for the prebuffer', () => {
    const sink = new RecordingSink();
    const jb = new AudioJitterBuffer(sink, 500);
    jb.push(chunk(0, 0, 80));
    jb.finish();
    jb.pump();
    expect(sink.samplesQueued).toBe(1600);
    expect(jb.drained).toBe(false);
    sink.play(1600);
    expect(jb.drained).toBe(true);
  });

  it('goes back to buffering on an underrun and counts it', () => {
    const sink = new RecordingSink();
    const jb = new AudioJitterBuffer(sink, 100);
    jb.push(chunk(0, 0, 100));
    jb.pump();
    sink.play(2000); // the device ate it all; the next sentence is late
    jb.pump();
    expect(jb.state).toBe('buffering');
    expect(jb.underruns).toBe(1);
    jb.push(chunk(1, 100, 60));
    jb.pump();
    expect(sink.samplesQueued).toBe(2000); // 60 ms < 100 ms: still buffering
    jb.push(chunk(2, 160, 60));
    jb.pump();
    expect(sink.samplesQueued).toBe(2000 + 2400);
    expect(jb.state).toBe('playing');
  });

  it('the clock is samples played ÷ rate, capped at what was released', () => {
    const sink = new RecordingSink();
    const jb = new AudioJitterBuffer(sink, 0);
    expect(jb.positionMs()).toBe(0);
    jb.push(chunk(0, 0, 250));
    jb.pump();
    sink.play(2500);
    expect(jb.positionMs()).toBeCloseTo(125, 6);
    sink.play(1_000_000);
    expect(jb.positionMs()).toBeCloseTo(250, 6);
  });

  it('fills a missing chunk with silence once the reply is complete, keeping the timeline', () => {
    const sink = new RecordingSink();
    const jb = new AudioJitterBuffer(sink, 0);
    jb.push(chunk(0, 0, 50));
    jb.push(chunk(2, 100, 50)); // seq 1 (50..100 ms) never arrives
    jb.finish();
    jb.pump();
    const pcm = sink.pcm();
    expect(pcm.length).toBe(3000);
    expect(pcm.subarray(1000, 2000).every((s) => s === 0)).toBe(true);
    expect(pcm[2000]).toBe(2000); // chunk 2 starts at sample 2000 = 100 ms
  });

  it('stop() stops the sink and drops the rest', () => {
    const sink = new RecordingSink();
    const jb = new AudioJitterBuffer(sink, 0);
    jb.push(chunk(0, 0, 50));
    jb.pump();
    jb.stop();
    jb.push(chunk(1, 50, 50));
    jb.pump();
    expect(sink.stops).toBe(1);
    expect(jb.drained).toBe(true);
    expect(sink.buffers).toHaveLength(1);
  });

  it('copies odd-offset PCM views into whole, aligned buffers', () => {
    const sink = new RecordingSink();
    const jb = new AudioJitterBuffer(sink, 0);
    const backing = new Uint8Array(11);
    backing.set([1, 0, 2, 0, 3, 0], 1);
    jb.push({ seq: 0, startMs: 0, rate: RATE, pcm: backing.subarray(1, 8) }); // 7 bytes: odd length, odd offset
    jb.pump();
    expect(sink.buffers[0]!.byteLength).toBe(6);
    expect([...new Int16Array(sink.buffers[0]!)]).toEqual([1, 2, 3]);
  });
});
