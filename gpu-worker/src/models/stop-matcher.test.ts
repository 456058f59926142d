import { describe, expect, it } from 'vitest';
import { StopMatcher } from './stop-matcher.js';

const feed = (m: StopMatcher, parts: string[]) => {
  let out = '';
  for (const p of parts) {
    const r = m.push(p);
    out += r.emit;
    if (r.stopped) return { out, stopped: true };
  }
  return { out: out + m.flush(), stopped: false };
};

describe('StopMatcher', () => {
  it('cuts at a stop string split across deltas and never emits it', () => {
    expect(feed(new StopMatcher(['\nPlayer:']), ['Good day.', '\nPla', 'yer: hi'])).toEqual({ out: 'Good day.', stopped: true });
  });

  it('holds back only a possible beginning of a stop string, and releases it when it is not one', () => {
    const m = new StopMatcher(['</reply>']);
    expect(m.push('Hello </re')).toEqual({ emit: 'Hello ', stopped: false });
    expect(m.push('d> ok')).toEqual({ emit: '</red> ok', stopped: false });
    expect(m.flush()).toBe('');
  });

  it('picks the earliest of several stop strings', () => {
    expect(feed(new StopMatcher(['END', 'STOP']), ['a STOP b END'])).toEqual({ out: 'a ', stopped: true });
  });

  it('passes everything through without stop strings', () => {
    expect(feed(new StopMatcher([]), ['a', 'b'])).toEqual({ out: 'ab', stopped: false });
  });
});
