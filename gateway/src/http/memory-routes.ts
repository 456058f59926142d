/**
 * NPC memory over HTTP (behind the client-key check like every /v1 route):
 *   GET    /v1/memory/:npc/:player  one NPC's memory of one player: card, hot turns, summaries, facts
 *   DELETE /v1/players/:player      right to be forgotten: everything about the player, in Redis
 *                                   (or the embedded store) and the archive; answers what was deleted
 */
import { Hono, type Context } from 'hono';
import * as v from 'valibot';
import { LIMITS } from '@parley/protocol';
import { ArchiveUnavailableError } from '../memory/memory-service.js';
import type { GatewayEnv } from './types.js';

const NpcParam = v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'npc must be a lowercase id of 1..64 characters [a-z0-9_-]'));
const PlayerParam = v.pipe(v.string(), v.minLength(1, 'player must not be empty'), v.maxLength(LIMITS.playerIdMaxChars, `player must have at most ${LIMITS.playerIdMaxChars} characters`));

const memoryOff = (c: Context<GatewayEnv>) => c.json({ error: 'memory_off', message: 'NPC memory is turned off on this gateway (PARLEY_MEMORY=off)' }, 503);
const unavailable = (c: Context<GatewayEnv>, err: unknown, extra: object = {}) => {
  c.header('Retry-After', '1');
  return c.json({ error: 'unavailable', message: `memory is unavailable: ${err instanceof Error ? err.message : String(err)}`, ...extra }, 503);
};

export const memoryRoutes = new Hono<GatewayEnv>()
  .get('/v1/memory/:npc/:player', async (c) => {
    const memory = c.get('deps').memory;
    if (!memory) return memoryOff(c);
    const npc = v.safeParse(NpcParam, c.req.param('npc'));
    const player = v.safeParse(PlayerParam, c.req.param('player'));
    if (!npc.success || !player.success) return c.json({ error: 'bad_request', message: (npc.issues ?? player.issues)![0].message }, 400);
    try {
      return c.json(await memory.view({ npc: npc.output, player: player.output }));
    } catch (err) {
      return unavailable(c, err);
    }
  })
  .delete('/v1/players/:player', async (c) => {
    const memory = c.get('deps').memory;
    if (!memory) return memoryOff(c);
    const player = v.safeParse(PlayerParam, c.req.param('player'));
    if (!player.success) return c.json({ error: 'bad_request', message: player.issues[0].message }, 400);
    try {
      const r = await memory.forgetPlayer(player.output);
      return c.json({ player: r.player, deleted: { hot: r.hot, archive: r.archive } });
    } catch (err) {
      return unavailable(c, err, err instanceof ArchiveUnavailableError ? { deleted: { hot: err.partial.hot, archive: null } } : {});
    }
  });
