/** `npm run chat -- --npc <id> …` — see CHAT_HELP in args.ts. */
import { readDevConfig } from '../client/dev-config.js';
import { CHAT_HELP, parseChatArgs } from './args.js';
import { runChat } from './chat.js';

async function main(): Promise<number> {
  const parsed = parseChatArgs(process.argv.slice(2), process.env, readDevConfig());
  if (parsed.kind === 'help') {
    process.stdout.write(CHAT_HELP);
    return 0;
  }
  if (parsed.kind === 'error') {
    process.stderr.write(`chat: ${parsed.message}\n`);
    return 2;
  }
  const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  return runChat(parsed.options, {
    input: process.stdin,
    output: process.stdout,
    error: process.stderr,
    interactive,
    // With a terminal, readline turns Ctrl-C into its own SIGINT event; piped stdin gets the signal.
    onInterrupt: (handler) => {
      process.on('SIGINT', handler);
    },
  });
}

process.on('uncaughtException', (err) => {
  process.stderr.write(`chat: error: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});

main().then(
  (code) => {
    // Let piped stdout drain; exit anyway if something still holds the loop.
    process.exitCode = code;
    setTimeout(() => process.exit(code), 2000).unref();
  },
  (err: unknown) => {
    process.stderr.write(`chat: error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
