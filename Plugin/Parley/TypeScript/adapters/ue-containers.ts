/** Reads Puerts container wrappers (TArray/TMap over engine memory) into plain JS values. */
import type * as UE from 'ue';

export function arrayItems<T>(a: UE.TArray<T> | null | undefined): T[] {
  if (!a) return [];
  const out: T[] = [];
  for (let i = 0, n = a.Num(); i < n; i++) out.push(a.Get(i));
  return out;
}

/** TMap entries in iteration order (Puerts walks the sparse index range with IsValidIndex/GetKey). */
export function mapEntries<K, V>(m: UE.TMap<K, V> | null | undefined): [K, V][] {
  if (!m) return [];
  const out: [K, V][] = [];
  for (let i = 0, n = m.GetMaxIndex(); i < n; i++) {
    if (!m.IsValidIndex(i)) continue;
    const key = m.GetKey(i);
    const value = m.Get(key);
    if (value !== undefined) out.push([key, value]);
  }
  return out;
}
