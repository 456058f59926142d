/**
 * The 15 OVR / Meta visemes the protocol uses (index = wire value). Kept here rather than
 * imported at run time from @parley/protocol so the plugin bundle does not pull in the
 * gateway's schema library; viseme-mapping.test.ts checks both lists agree.
 */
export const OVR_VISEMES = ['sil', 'PP', 'FF', 'TH', 'DD', 'kk', 'CH', 'SS', 'nn', 'RR', 'aa', 'E', 'ih', 'oh', 'ou'] as const;
export type OvrViseme = (typeof OVR_VISEMES)[number];
export const VISEME_COUNT = OVR_VISEMES.length;
