/**
 * NPC memory over HTTP:
 *   GET    /v1/memory/:npc/:player      one NPC's memory of one player: card, hot turns, summaries, facts
 *   DELETE /v1/players/:player          right to be forgotten: everything about the player, in Redis (or
 *                                       the embedded store) and the archive; answers what was deleted
 *   POST   /v1/players/:player/token    mints a player token (API key only; PARLEY_PLAYER_TOKEN_SECRET)
 *
 * Auth: `Authorization: Bearer <API key>` reaches every player; `Bearer <player token>` reaches only
 * the player it was minted for (403 otherwise), so one player's client can never read another's memory.
 */
import { Hono, type Context } from 'hono';
import * as v from 'valibot';
import { LIMITS } from '@parley/protocol';
import { ArchiveUnavailableError } from '../memory/memory-service.js';
import { mintPlayerToken, verifyPlayerToken } from '../memory/player-token.js';
import type { GatewayEnv } from './types.js';

const NpcParam = v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'npc must be a lowercase id of 1..64 characters [a-z0-9_-]'));
const PlayerParam = v.pipe(v.string(), v.minLength(1, 'player must not be empty'), v.maxLength(LIMITS.playerIdMaxChars, `player must have at most ${LIMITS.playerIdMaxChars} characters`));

type Caller = { kind: 'key' } | { kind: 'player'; player: string };

/** Who is asking: an API key holder, a player token's player, or nobody (null). */
function caller(c: Context<GatewayEnv>): Caller | null {
  const m = /^Bearer ([^\s]+)$/i.exec((c.req.header('authorization') ?? '').trim());
  if (!m) return null;
  const { checkToken, config } = c.get('deps');
  if (checkToken(m[1]!)) return { kind: 'key' };
  const player = verifyPlayerToken(config.memory.playerTokenSecret, m[1]!);
  return player === null ? null : { kind: 'player', player };
}

const unauthorized = (c: Context<GatewayEnv>) => {
  c.header('WWW-Authenticate', 'Bearer realm="parley"');
  return c.json({ error: 'unauthorized', message: c.req.header('authorization') ? 'invalid API key or player token' : 'send Authorization: Bearer <api key or player token>' }, 401);
};
const forbidden = (c: Context<GatewayEnv>) => c.json({ error: 'forbidden', message: 'this player token speaks for another player' }, 403);
const badRequest = (c: Context<GatewayEnv>, message: string) => c.json({ error: 'bad_request', message }, 400);
const memoryOff = (c: Context<GatewayEnv>) => c.json({ error: 'memory_off', message: 'NPC memory is turned off on this gateway (PARLEY_MEMORY=off)' }, 503);
const unavailable = (c: Context<GatewayEnv>, err: unknown, extra: object = {}) => {
  c.header('Retry-After', '1');
  return c.json({ error: 'unavailable', message: `memory is unavailable: ${err instanceof Error ? err.message : String(err)}`, ...extra }, 503);
};

export const memoryRoutes = new Hono<GatewayEnv>()
  .get('/v1/memory/:npc/:player', async (c) => {
    const who = caller(c);
    if (!who) return unauthorized(c);
    const npc = v.safeParse(NpcParam, c.req.param('npc'));
    const player = v.safeParse(PlayerParam, c.req.param('player'));
    if (!npc.success) return badRequest(c, npc.issues[0].message);
    if (!player.success) return badRequest(c, player.issues[0].message);
    if (who.kind === 'player' && who.player !== player.output) return forbidden(c);
    const memory = c.get('deps').memory;
    if (!memory) return memoryOff(c);
    try {
      return c.json(await memory.view({ npc: npc.output, player: player.output }));
    } catch (err) {
      return unavailable(c, err);
    }
  })
  .delete('/v1/players/:player', async (c) => {
    const who = caller(c);
    if (!who) return unauthorized(c);
    const player = v.safeParse(PlayerParam, c.req.param('player'));
    if (!player.success) return badRequest(c, player.issues[0].message);
    if (who.kind === 'player' && who.player !== player.output) return forbidden(c);
    const memory = c.get('deps').memory;
    if (!memory) return memoryOff(c);
    try {
      const r = await memory.forgetPlayer(player.output);
      return c.json({ player: r.player, deleted: { hot: r.hot, archive: r.archive } });
    } catch (err) {
      return unavailable(c, err, err instanceof ArchiveUnavailableError ? { deleted: { hot: err.partial.hot, archive: null } } : {});
    }
  })
  .post('/v1/players/:player/token', (c) => {
    const who = caller(c);
    if (!who) return unauthorized(c);
    if (who.kind !== 'key') return c.json({ error: 'forbidden', message: 'player tokens are minted with an API key' }, 403);
    const player = v.safeParse(PlayerParam, c.req.param('player'));
    if (!player.success) return badRequest(c, player.issues[0].message);
    const { playerTokenSecret, playerTokenTtlS } = c.get('deps').config.memory;
    if (!playerTokenSecret) return c.json({ error: 'not_configured', message: 'player tokens are off: set PARLEY_PLAYER_TOKEN_SECRET' }, 503);
    const expiresAt = Date.now() + playerTokenTtlS * 1000;
    return c.json({ player: player.output, token: mintPlayerToken(playerTokenSecret, player.output, expiresAt), expiresAt });
  });
