/** Field limits every decoder enforces (documented in docs/protocol.md). */
export const LIMITS = {
  turnIdMaxChars: 64,
  npcIdMaxChars: 64,
  playerIdMaxChars: 128,
  tokenMaxChars: 512,
  sayTextMaxChars: 2000,
  clientNameMaxChars: 64,
  clientVersionMaxChars: 32,
  emotionLabelMaxChars: 32,
  messageMaxChars: 1000,
  visemeFramesMax: 4096,
  /** Default maximum WebSocket frame size a gateway accepts from clients (bytes). */
  defaultMaxFrameBytes: 64 * 1024,
} as const;

export const PROTOCOL_VERSION = 1 as const;
export const WS_PATH = '/v1/ws';
export const WORKER_WS_PATH = '/v1/worker';

export const TIERS = ['gold', 'silver', 'bronze'] as const;
export type Tier = (typeof TIERS)[number];
/** Tier that served a turn: one of the model tiers, or the last-resort scripted fallback. */
export type ServedTier = Tier | 'scripted';

/** OVR / Meta viseme names in index order (0..14). */
export const OVR_VISEME_NAMES = ['sil', 'PP', 'FF', 'TH', 'DD', 'kk', 'CH', 'SS', 'nn', 'RR', 'aa', 'E', 'ih', 'oh', 'ou'] as const;
