/** Command-line parsing for `npm run chat` (pure: argv + env in, options or a message out). */
import { parseArgs } from 'node:util';
import { LIMITS, TIERS, type Tier } from '@parley/protocol';
import { DEFAULT_WS_URL, resolveToken, type DevConfig } from '../client/dev-config.js';

export const CHAT_HELP = `Parley chat: talk to an NPC from the terminal.

Usage:
  npm run chat -- --npc <id> [--url ${DEFAULT_WS_URL}] [--token T] [--player NAME]
                  [--tier gold|silver|bronze] [--out DIR] [--play]

Options:
  --npc ID       the NPC to talk to (dev catalog: vampire-lord, zombie, innkeeper, guard, oracle)
  --url URL      gateway WebSocket URL (default: from .parley/dev.json written by npm start, else ${DEFAULT_WS_URL})
  --token T      client token (default: $PARLEY_TOKEN, else .parley/dev.json)
  --player NAME  your player id (default: player)
  --tier TIER    ask for a model tier instead of the NPC's own
  --out DIR      where each reply is saved as turn-<n>.wav (default: ./parley-chat)
  --play         play each reply with aplay, paplay, afplay or ffplay (the first one installed)
  -h, --help     this help

Type a line and press Enter. Ctrl-C during a reply interrupts it (barge-in: sends cancel);
Ctrl-C again, or /quit, exits. Lines can be piped in: the chat exits after the last reply.
`;

export interface ChatOptions {
  url: string;
  token: string;
  npc: string;
  player: string;
  tier?: Tier;
  out: string;
  play: boolean;
}

export type ParsedChatArgs = { kind: 'help' } | { kind: 'error'; message: string } | { kind: 'run'; options: ChatOptions };

const NPC_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export function parseChatArgs(argv: string[], env: NodeJS.ProcessEnv = {}, dev: DevConfig = {}): ParsedChatArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        npc: { type: 'string' },
        url: { type: 'string' },
        token: { type: 'string' },
        player: { type: 'string', default: 'player' },
        tier: { type: 'string' },
        out: { type: 'string', default: './parley-chat' },
        play: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (err) {
    return { kind: 'error', message: `${err instanceof Error ? err.message.replace(/\. To specify a positional.*$/s, '') : String(err)}\nRun with --help for usage.` };
  }
  if (values.help) return { kind: 'help' };
  if (!values.npc) return { kind: 'error', message: 'missing --npc (e.g. --npc vampire-lord). Run with --help for usage.' };
  if (!NPC_ID.test(values.npc)) return { kind: 'error', message: `--npc ${values.npc}: must be a lowercase catalog id like vampire-lord` };
  const player = values.player.trim();
  if (player.length === 0 || player.length > LIMITS.playerIdMaxChars) return { kind: 'error', message: `--player: must be 1 to ${LIMITS.playerIdMaxChars} characters` };
  let tier: Tier | undefined;
  if (values.tier !== undefined) {
    if (!(TIERS as readonly string[]).includes(values.tier)) return { kind: 'error', message: `--tier ${values.tier}: must be one of ${TIERS.join(', ')}` };
    tier = values.tier as Tier;
  }
  const url = values.url ?? dev.url ?? DEFAULT_WS_URL;
  if (!/^wss?:\/\//.test(url)) return { kind: 'error', message: `--url ${url}: must start with ws:// or wss:// (e.g. ${DEFAULT_WS_URL})` };
  const token = resolveToken(values.token, env, dev);
  if (!token) return { kind: 'error', message: 'no token: pass --token T or set PARLEY_TOKEN (npm start prints a development token and writes it to .parley/dev.json)' };
  return { kind: 'run', options: { url, token, npc: values.npc, player, ...(tier ? { tier } : {}), out: values.out, play: values.play } };
}
