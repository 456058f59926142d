/**
 * Entry module of the Parley plugin, started by UParleySubsystem through puerts::FJsEnv
 * (module "parley/parley-main" in Plugins/Parley/Content/JavaScript; built by
 * `npm run build:plugin`).
 *
 * `require`, not `import * as`: the bundle is CommonJS, and Puerts' `ue` module is a lazy
 * Proxy whose classes appear on first access; a bundler's ESM interop helper copies the own
 * properties of a module, which such a module does not have yet.
 */
import { startParley } from './adapters/parley-runtime.js';
import type { WebSocketLike } from './core/connection/websocket-like.js';

const ue = require('ue') as typeof import('ue');
const puerts = require('puerts') as typeof import('puerts');
const WebSocketCtor = (globalThis as { WebSocket?: new (url: string) => WebSocketLike }).WebSocket;

startParley({ ue, puerts, WebSocket: WebSocketCtor });
