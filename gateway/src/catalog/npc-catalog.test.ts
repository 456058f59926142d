import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TIERS as PROTOCOL_TIERS } from '@parley/protocol';
import { DEFAULT_CATALOG_PATH, TIERS, loadCatalog, parseCatalog } from './npc-catalog.js';

const dir = mkdtempSync(join(tmpdir(), 'parley-catalog-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function writeCatalog(content: unknown): string {
  const file = join(dir, `npcs-${n++}.json`);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

const base = {
  id: 'test-npc',
  name: 'Test NPC',
  archetype: 'guard',
  tier: 'bronze',
  voice: 'male-gruff',
  persona: 'A test guard. He speaks curtly.',
};

function loadError(content: unknown): string {
  const file = writeCatalog(content);
  try {
    loadCatalog(file);
  } catch (err) {
    const msg = (err as Error).message;
    expect(msg).toContain(file);
    return msg;
  }
  throw new Error('expected loadCatalog to throw');
}

describe('the shipped catalog', () => {
  const catalog = loadCatalog(DEFAULT_CATALOG_PATH);

  it('loads and holds the required NPCs', () => {
    expect(catalog.size).toBeGreaterThanOrEqual(5);
    expect(catalog.get('vampire-lord')).toMatchObject({ archetype: 'vampire', tier: 'gold', voice: 'male-deep' });
    expect(catalog.get('zombie')).toMatchObject({ archetype: 'zombie', tier: 'bronze', voice: 'growl' });
    expect(catalog.get('innkeeper')).toMatchObject({ tier: 'silver', voice: 'female-warm' });
    expect(catalog.get('guard')).toMatchObject({ tier: 'bronze', voice: 'male-gruff' });
    expect(catalog.has('oracle')).toBe(true);
    expect(catalog.has('nobody')).toBe(false);
    expect(catalog.get('nobody')).toBeUndefined();
  });

  it('has personas of 2-5 sentences', () => {
    for (const npc of catalog.list()) {
      const sentences = npc.persona.split(/(?<=[.!?])\s+/).filter(Boolean);
      expect(sentences.length, npc.id).toBeGreaterThanOrEqual(2);
      expect(sentences.length, npc.id).toBeLessThanOrEqual(5);
    }
  });

  it('list() keeps file order and entries are frozen', () => {
    const ids = catalog.list().map((x) => x.id);
    expect(ids[0]).toBe('vampire-lord');
    expect(new Set(ids).size).toBe(ids.length);
    expect(Object.isFrozen(catalog.get('zombie'))).toBe(true);
  });

  it('DEFAULT_CATALOG_PATH does not depend on the working directory', () => {
    expect(DEFAULT_CATALOG_PATH).toMatch(/gateway[\\/]config[\\/]npcs\.json$/);
  });

  it('uses the protocol tiers', () => {
    expect([...TIERS]).toEqual([...PROTOCOL_TIERS]);
  });
});

describe('loadCatalog', () => {
  it('loads a valid file, ignoring unknown keys and normalizing the archetype', () => {
    const c = loadCatalog(writeCatalog([{ ...base, archetype: ' Guard ', notes: 'designer note', traits: ['curt'] }, { ...base, id: 'b', greeting: 'Halt.' }]));
    expect(c.list().map((x) => x.id)).toEqual(['test-npc', 'b']);
    const npc = c.get('test-npc');
    expect(npc).toBeDefined();
    expect(npc).not.toHaveProperty('notes');
    expect(npc?.archetype).toBe('guard');
    expect(npc?.traits).toEqual(['curt']);
  });

  it('names a missing file', () => {
    expect(() => loadCatalog(join(dir, 'nope.json'))).toThrow(/nope\.json: cannot read/);
  });

  it('names bad JSON', () => {
    expect(loadError('[{"id": ')).toMatch(/not valid JSON/);
  });

  it('rejects a non-array and an empty catalog', () => {
    expect(loadError({ npcs: [] })).toMatch(/must be a JSON array/);
    expect(loadError([])).toMatch(/has no NPCs/);
  });

  it('rejects duplicate ids, naming both entries', () => {
    const msg = loadError([base, { ...base, id: 'other' }, { ...base }]);
    expect(msg).toMatch(/entry 2 \(id "test-npc"\)/);
    expect(msg).toMatch(/duplicates entry 0/);
  });

  it('rejects a bad tier', () => {
    const msg = loadError([{ ...base, id: 'x' }, { ...base, tier: 'platinum' }]);
    expect(msg).toMatch(/entry 1 \(id "test-npc"\)/);
    expect(msg).toMatch(/field "tier" must be one of gold\|silver\|bronze \(got "platinum"\)/);
  });

  it('rejects an empty or blank persona', () => {
    expect(loadError([{ ...base, persona: '' }])).toMatch(/field "persona" must not be empty/);
    expect(loadError([{ ...base, persona: '   ' }])).toMatch(/field "persona" must not be empty/);
  });

  it('rejects bad ids', () => {
    expect(loadError([{ ...base, id: 'Vampire_Lord' }])).toMatch(/field "id" must be a lowercase slug/);
    expect(loadError([{ ...base, id: 'a'.repeat(65) }])).toMatch(/field "id"/);
    const { id: _id, ...noId } = base;
    expect(loadError([noId])).toMatch(/entry 0: field "id" is missing/);
  });

  it('rejects missing and mistyped fields', () => {
    const { persona: _p, ...noPersona } = base;
    expect(loadError([noPersona])).toMatch(/field "persona" is missing/);
    expect(loadError([{ ...base, name: 42 }])).toMatch(/field "name" must be a string \(got 42\)/);
    expect(loadError([{ ...base, voice: 'robot' }])).toMatch(/field "voice" must be one of .*female-warm/);
    expect(loadError([{ ...base, traits: ['ok', ''] }])).toMatch(/field "traits\.1" must not be empty/);
    expect(loadError([{ ...base, traits: 'curt' }])).toMatch(/field "traits" must be an array/);
    expect(loadError([{ ...base, greeting: '' }])).toMatch(/field "greeting" must not be empty/);
    expect(loadError([{ ...base, archetype: '' }])).toMatch(/field "archetype"/);
  });

  it('rejects entries that are not objects', () => {
    expect(loadError([base, 'zombie'])).toMatch(/entry 1: must be an object/);
  });
});

describe('parseCatalog', () => {
  it('names the source it was given', () => {
    expect(() => parseCatalog([{ ...base, tier: 'x' }], 'inline')).toThrow(/^NPC catalog inline: entry 0/);
  });
});
