import type { NpcCatalog } from '../catalog/npc-catalog.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import type { Scheduler } from '../fleet/scheduler.js';
import type { GatewayMetrics } from '../metrics.js';
import type { MemoryService } from '../memory/memory-service.js';

/** Everything HTTP handlers may use; declared once and passed as the app's generic. */
export interface GatewayDeps {
  config: GatewayConfig;
  catalog: NpcCatalog;
  scheduler: Scheduler;
  metrics: GatewayMetrics;
  checkToken(token: string): boolean;
  /** NPC memory (absent when PARLEY_MEMORY=off). */
  memory?: MemoryService | undefined;
}

export type GatewayEnv = { Variables: { deps: GatewayDeps } };
