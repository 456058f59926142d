/**
 * Project Settings > Plugins > Parley (UParleySettings, saved in DefaultGame.ini), read into
 * the core's plain options with every value clamped to something that works.
 */
import type * as UE from 'ue';
import type { Tier } from '@parley/protocol';
import type { ReconnectPolicy } from '../core/connection/backoff.js';

export interface PluginSettings {
  url: string;
  token: string;
  defaultTier: Tier | undefined;
  defaultPlayerId: string;
  connectOnStart: boolean;
  connectTimeoutMs: number;
  reconnect: ReconnectPolicy;
  prebufferMs: number;
  verbose: boolean;
}

const clamp = (x: unknown, lo: number, hi: number, fallback: number): number => (typeof x === 'number' && Number.isFinite(x) ? Math.min(hi, Math.max(lo, x)) : fallback);

/** EParleyTier → protocol tier (NpcDefault → undefined: the NPC's catalog tier). */
export function tierOf(ue: typeof UE, tier: UE.EParleyTier | undefined): Tier | undefined {
  switch (tier) {
    case ue.EParleyTier.Gold:
      return 'gold';
    case ue.EParleyTier.Silver:
      return 'silver';
    case ue.EParleyTier.Bronze:
      return 'bronze';
    default:
      return undefined;
  }
}

export function readSettings(ue: typeof UE, s: UE.ParleySettings | null): PluginSettings {
  return {
    url: (s?.GatewayUrl || 'ws://127.0.0.1:8787/v1/ws').trim(),
    token: (s?.AccessToken ?? '').trim(),
    defaultTier: tierOf(ue, s?.DefaultTier),
    defaultPlayerId: (s?.DefaultPlayerId || 'player').trim(),
    connectOnStart: s?.bConnectOnStart ?? true,
    connectTimeoutMs: clamp(s?.ConnectTimeoutSeconds, 1, 120, 10) * 1000,
    reconnect: {
      enabled: s?.bAutoReconnect ?? true,
      initialDelayMs: clamp(s?.ReconnectInitialDelaySeconds, 0.05, 60, 0.5) * 1000,
      maxDelayMs: clamp(s?.ReconnectMaxDelaySeconds, 0.1, 600, 15) * 1000,
      maxAttempts: Math.round(clamp(s?.MaxReconnectAttempts, 0, 1_000_000, 0)),
    },
    prebufferMs: clamp(s?.AudioPrebufferMs, 0, 2000, 120),
    verbose: s?.bVerboseLogging ?? false,
  };
}
