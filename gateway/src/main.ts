/** Gateway process entry: `npm run gateway` (configuration: PARLEY_* environment variables). */
import { ConfigError, loadGatewayConfig } from './config/gateway-config.js';
import { createGateway } from './server.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadGatewayConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`parley-gateway: configuration error: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
  let gateway;
  try {
    gateway = createGateway(config);
  } catch (err) {
    console.error(`parley-gateway: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(2);
  }
  const port = await gateway.start().catch((err: NodeJS.ErrnoException) => {
    console.error(`parley-gateway: cannot listen on ${config.host}:${config.port}: ${err.code ?? err.message}`);
    process.exit(1);
  });
  gateway.log.info({ host: config.host, port, npcs: gateway.catalog.list().length, gateway: config.gatewayId }, 'gateway listening');
  // One machine-readable line on stdout so launchers and tests can find the port and token.
  console.log(JSON.stringify({ event: 'listening', host: config.host, port, devToken: config.devToken }));
  if (config.devToken) console.error(`parley-gateway: no PARLEY_API_KEYS set; development token: ${config.devToken}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    gateway.log.info({ signal }, 'gateway stopping');
    await gateway.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

void main();
