/**
 * The batch's KV cache: one tensor per layer and key/value, [rows, kvHeads, pastLen, headDim],
 * each row holding its own sequence's cache, padded to the longest row.
 *
 * - `left` layout: row b's valid entries are the last lens[b] positions (attention built from the
 *   mask, positions from position_ids).
 * - `right` layout: valid entries are the first lens[b] positions (GroupQueryAttention, which
 *   reads each row's length from the mask and appends after it).
 *
 * While the batch keeps its members, each step's `present` outputs become the next `past` inputs
 * as they are (no copy). When sequences join or leave, `packRows` builds new tensors from chosen
 * rows of one or more batches — the only copy, once per change.
 */
import type { PaddingSide } from './model-folder.js';
import type { KvElementType } from './model-io.js';

export type KvArray = Float32Array | Uint16Array;

export interface KvGeometry {
  layers: number;
  kvHeads: number;
  headDim: number;
  kvType: KvElementType;
  layout: PaddingSide;
}

export interface KvBatch {
  rows: number;
  pastLen: number;
  /** Valid cached tokens per row. */
  lens: number[];
  /** 2 × layers arrays (layer 0 key, layer 0 value, …), each rows × kvHeads × pastLen × headDim. */
  data: KvArray[];
}

export interface RowSource {
  from: KvBatch;
  row: number;
}

export const allocKv = (type: KvElementType, n: number): KvArray => (type === 'float16' ? new Uint16Array(n) : new Float32Array(n));

/** Copies the chosen rows (in order) into a new, tightly padded batch. */
export function packRows(g: KvGeometry, sources: readonly RowSource[]): KvBatch {
  const rows = sources.length;
  const lens = sources.map((s) => s.from.lens[s.row]!);
  const pastLen = Math.max(0, ...lens);
  const { kvHeads: H, headDim: D } = g;
  const data: KvArray[] = [];
  for (let t = 0; t < 2 * g.layers; t++) {
    const out = allocKv(g.kvType, rows * H * pastLen * D);
    sources.forEach((s, r) => {
      const src = s.from.data[t]!;
      const len = lens[r]!;
      const P = s.from.pastLen;
      const srcOff = g.layout === 'left' ? P - len : 0;
      const dstOff = g.layout === 'left' ? pastLen - len : 0;
      for (let h = 0; h < H; h++) {
        const from = ((s.row * H + h) * P + srcOff) * D;
        out.set(src.subarray(from, from + len * D), ((r * H + h) * pastLen + dstOff) * D);
      }
    });
    data.push(out);
  }
  return { rows, pastLen, lens, data };
}

/** Bytes one cached token costs across all layers (keys and values). */
export const kvBytesPerToken = (g: KvGeometry): number => 2 * g.layers * g.kvHeads * g.headDim * (g.kvType === 'float16' ? 2 : 4);
