import { describe, expect, it } from 'vitest';
import { TIERS } from '@parley/protocol';
import { MAX_DURATION_S } from './safety.js';
import { TIER_TARGETS, applyOverrides, listScenarios, loadScenario, parseScenario, resolveScenarioPath, ScenarioError } from './scenario.js';

const valid = {
  name: 'x',
  npcs: 10,
  tierMix: { gold: 100, silver: 300, bronze: 600 },
  rampUpS: 1,
  steadyS: 2,
  arrival: { kind: 'poisson', meanThinkMs: 1000 },
  corpus: ['hi'],
};
const parse = (o: unknown) => parseScenario(JSON.stringify(o), 'test.json', '/nowhere');
const problem = (o: unknown): string => {
  try {
    parse(o);
  } catch (err) {
    expect(err).toBeInstanceOf(ScenarioError);
    return (err as Error).message;
  }
  throw new Error('expected a ScenarioError');
};

describe('shipped scenarios', () => {
  it('has smoke and 100 / 500 / 1,000 / 5,000 / 10,000 NPCs', () => {
    expect(listScenarios()).toEqual(expect.arrayContaining(['smoke', 'npcs-100', 'npcs-500', 'npcs-1000', 'npcs-5000', 'npcs-10000']));
    for (const n of [100, 500, 1000, 5000, 10000]) expect(loadScenario(String(n)).npcs).toBe(n);
  });
  it.each(listScenarios())('%s validates, meets the tier targets and is bounded', (name) => {
    const s = loadScenario(name);
    expect(s.warnings).toEqual([]);
    for (const t of TIERS) {
      expect(s.tierMix[t]).toBeGreaterThanOrEqual(TIER_TARGETS[t][0]);
      expect(s.tierMix[t]).toBeLessThanOrEqual(TIER_TARGETS[t][1]);
    }
    expect(s.rampUpS + s.steadyS).toBeLessThanOrEqual(MAX_DURATION_S);
    expect(s.corpus.length).toBeGreaterThan(10);
    expect(s.corpus.every((l) => !l.startsWith('#'))).toBe(true);
  });
  it('the smoke scenario is short enough for CI', () => {
    const s = loadScenario('smoke');
    expect(s.rampUpS + s.steadyS + s.drainS).toBeLessThanOrEqual(10);
  });
});

describe('scenario validation', () => {
  it('accepts a minimal scenario and fills defaults', () => {
    const s = parse(valid);
    expect(s).toMatchObject({ drainS: 15, npcsPerConnection: 8, processes: 1, bargeIn: { rate: 0 }, corpus: ['hi'] });
    expect(s.catalog.gold).toContain('vampire-lord');
  });
  it('names every problem with its field', () => {
    const msg = problem({ ...valid, npcs: 0, tierMix: { gold: 100, silver: 300, bronze: 500 }, arrival: { kind: 'burst' } });
    expect(msg).toMatch(/^test\.json: invalid scenario/);
    expect(msg).toMatch(/npcs: must be at least 1/);
    expect(msg).toMatch(/tierMix: gold \+ silver \+ bronze must sum to 1000/);
    expect(msg).toMatch(/arrival/);
  });
  it('rejects unknown keys (typos)', () => expect(problem({ ...valid, rampupS: 3 })).toMatch(/rampupS/));
  it('bounds the duration', () => expect(problem({ ...valid, rampUpS: 600, steadyS: 3600 })).toMatch(/at most 3600 s/));
  it('rejects bad barge-in ranges', () => expect(problem({ ...valid, bargeIn: { rate: 0.5, afterFirstAudioMs: [900, 100] } })).toMatch(/bargeIn.afterFirstAudioMs: must be \[min, max\]/));
  it('rejects bad json', () => expect(problem('{')).toMatch(/JSON|invalid/));
  it('warns about a mix outside the targets', () => expect(parse({ ...valid, tierMix: { gold: 0, silver: 0, bronze: 1000 } }).warnings).toHaveLength(3));
  it('reads a corpus file relative to the scenario', () => {
    const s = parseScenario(JSON.stringify({ ...valid, corpus: 'lines.txt' }), 'test.json', '/base', (p) => {
      expect(p).toBe('/base/lines.txt');
      return '# comment\nHello\n\n  Who are you?  \n';
    });
    expect(s.corpus).toEqual(['Hello', 'Who are you?']);
  });
  it('resolves names, numbers and paths; unknown names list the shipped ones', () => {
    expect(resolveScenarioPath('1000')).toMatch(/npcs-1000\.json$/);
    expect(resolveScenarioPath('smoke')).toMatch(/smoke\.json$/);
    expect(resolveScenarioPath('./my.json')).toMatch(/my\.json$/);
    expect(() => resolveScenarioPath('nope')).toThrow(/unknown scenario "nope".*smoke/);
  });
  it('applies overrides; --duration keeps at most half for the ramp', () => {
    const s = parse({ ...valid, rampUpS: 30, steadyS: 300 });
    expect(applyOverrides(s, { durationS: 10 })).toMatchObject({ rampUpS: 5, steadyS: 5 });
    expect(applyOverrides(s, { durationS: 100 })).toMatchObject({ rampUpS: 30, steadyS: 70 });
    expect(applyOverrides(s, { npcs: 3, processes: 2, npcsPerConnection: 1 })).toMatchObject({ npcs: 3, processes: 2, npcsPerConnection: 1 });
    expect(() => applyOverrides(s, { durationS: 7200 })).toThrow(/at most 3600/);
  });
});
