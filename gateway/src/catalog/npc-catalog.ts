/**
 * The NPC catalog: the designer-edited list of NPCs a gateway serves (gateway/config/npcs.json).
 *
 * Loaded once at start-up and validated strictly, so a typo in the JSON stops the gateway
 * with a message that names the file, the entry and the field instead of surfacing later
 * as an odd reply. Unknown keys in an entry are allowed (designers keep notes there) and dropped.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as v from 'valibot';

/** The catalog shipped with the gateway, resolved from this module so it works from any working directory. */
export const DEFAULT_CATALOG_PATH = fileURLToPath(new URL('../../config/npcs.json', import.meta.url));

/** Model tiers an NPC may default to (same values as TIERS in @parley/protocol). */
export const TIERS = ['gold', 'silver', 'bronze'] as const;
export type Tier = (typeof TIERS)[number];

/** Voices the speech stage provides. Add new voice ids here when the worker gains them. */
export const VOICE_IDS = ['male-deep', 'male-gruff', 'female-warm', 'female-bright', 'elder', 'growl'] as const;
export type VoiceId = (typeof VOICE_IDS)[number];

const text = (max: number) =>
  v.pipe(v.string('must be a string'), v.trim(), v.nonEmpty('must not be empty'), v.maxLength(max, `must have at most ${max} characters`));

const NpcSchema = v.object({
  id: v.pipe(v.string('must be a string'), v.regex(/^[a-z0-9-]{1,64}$/, 'must be a lowercase slug of 1..64 characters [a-z0-9-]')),
  name: text(64),
  archetype: v.pipe(
    v.string('must be a string'),
    v.trim(),
    v.toLowerCase(),
    v.regex(/^[a-z0-9][a-z0-9 _-]{0,31}$/, 'must be a word of 1..32 characters [a-z0-9 _-], e.g. "vampire"'),
  ),
  tier: v.picklist(TIERS, `must be one of ${TIERS.join('|')}`),
  voice: v.picklist(VOICE_IDS, `must be one of ${VOICE_IDS.join('|')}`),
  persona: text(2000),
  greeting: v.optional(text(300)),
  traits: v.optional(v.pipe(v.array(text(32), 'must be an array of strings'), v.maxLength(12, 'must have at most 12 traits'))),
});

export type Npc = v.InferOutput<typeof NpcSchema>;

export class NpcCatalog {
  private readonly byId: ReadonlyMap<string, Npc>;
  private readonly all: readonly Npc[];

  constructor(npcs: readonly Npc[]) {
    this.all = Object.freeze([...npcs]);
    this.byId = new Map(this.all.map((n) => [n.id, n]));
  }

  get(id: string): Npc | undefined {
    return this.byId.get(id);
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** All NPCs, in file order. */
  list(): readonly Npc[] {
    return this.all;
  }

  get size(): number {
    return this.all.length;
  }
}

/** Reads and validates a catalog file; throws an Error naming the file, entry and field on anything invalid. */
export function loadCatalog(path: string): NpcCatalog {
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`NPC catalog ${path}: cannot read the file (${err instanceof Error ? err.message : String(err)})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch (err) {
    throw new Error(`NPC catalog ${path}: not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  return parseCatalog(data, path);
}

/** Validates already-parsed catalog data; `source` names it in error messages. */
export function parseCatalog(data: unknown, source: string): NpcCatalog {
  const fail = (msg: string): never => {
    throw new Error(`NPC catalog ${source}: ${msg}`);
  };
  if (!Array.isArray(data)) fail('must be a JSON array of NPC entries');
  const entries = data as unknown[];
  if (entries.length === 0) fail('has no NPCs; add at least one entry');

  const npcs: Npc[] = [];
  const firstIndex = new Map<string, number>();
  entries.forEach((entry, i) => {
    const rawId = entry !== null && typeof entry === 'object' && typeof (entry as { id?: unknown }).id === 'string' ? (entry as { id: string }).id : undefined;
    const where = rawId === undefined ? `entry ${i}` : `entry ${i} (id ${JSON.stringify(rawId)})`;
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) fail(`${where}: must be an object`);
    const result = v.safeParse(NpcSchema, entry);
    if (!result.success) {
      const problems = result.issues.map((issue) => {
        const field = v.getDotPath(issue);
        if (issue.input === undefined && field) return `field "${field}" is missing (required)`;
        const got = `got ${describe(issue.input)}`;
        return field ? `field "${field}" ${issue.message} (${got})` : `${issue.message} (${got})`;
      });
      fail(`${where}: ${problems.join('; ')}`);
    }
    const npc = (result as v.SafeParseResult<typeof NpcSchema> & { success: true }).output;
    const first = firstIndex.get(npc.id);
    if (first !== undefined) fail(`${where}: field "id" duplicates entry ${first}; NPC ids must be unique`);
    firstIndex.set(npc.id, i);
    if (npc.traits) Object.freeze(npc.traits);
    npcs.push(Object.freeze(npc));
  });
  return new NpcCatalog(npcs);
}

function describe(x: unknown): string {
  if (typeof x === 'string') return JSON.stringify(x.length > 40 ? `${x.slice(0, 40)}…` : x);
  if (Array.isArray(x)) return 'an array';
  if (x === null) return 'null';
  return typeof x === 'object' ? 'an object' : String(x);
}
