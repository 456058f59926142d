/** Finds a command-line audio player for --play. */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface PlayerCommand {
  cmd: string;
  args: (file: string) => string[];
}

export const PLAYERS: PlayerCommand[] = [
  { cmd: 'aplay', args: (f) => ['-q', f] },
  { cmd: 'paplay', args: (f) => [f] },
  { cmd: 'afplay', args: (f) => [f] },
  { cmd: 'ffplay', args: (f) => ['-nodisp', '-autoexit', '-loglevel', 'quiet', f] },
];

/** True when `cmd` is an executable on PATH. */
export function onPath(cmd: string, pathEnv = process.env.PATH ?? ''): boolean {
  for (const dir of pathEnv.split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, cmd), constants.X_OK);
      return true;
    } catch {
      /* not here */
    }
  }
  return false;
}

/** The first available player, in the order aplay, paplay, afplay, ffplay. */
export function findPlayer(exists: (cmd: string) => boolean = (c) => onPath(c)): PlayerCommand | null {
  return PLAYERS.find((p) => exists(p.cmd)) ?? null;
}
