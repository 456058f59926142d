/**
 * Fakes of Puerts' container and delegate wrappers (TArray, TMap, $MulticastDelegate), with
 * the same method names and semantics: TMap iterates a sparse index range (GetMaxIndex /
 * IsValidIndex / GetKey) and Get returns undefined for a missing key.
 */
import type * as UE from 'ue';

export class FakeTArray<T> implements UE.TArray<T> {
  constructor(private items: T[] = []) {}
  Num(): number {
    return this.items.length;
  }
  Add(Value: T): void {
    this.items.push(Value);
  }
  Get(Index: number): T {
    if (Index < 0 || Index >= this.items.length) throw new Error(`TArray index out of range: ${Index}`);
    return this.items[Index]!;
  }
  Set(Index: number, Value: T): void {
    this.items[Index] = Value;
  }
  Contains(Value: T): boolean {
    return this.items.includes(Value);
  }
  FindIndex(Value: T): number {
    return this.items.indexOf(Value);
  }
  RemoveAt(Index: number): void {
    this.items.splice(Index, 1);
  }
  IsValidIndex(Index: number): boolean {
    return Index >= 0 && Index < this.items.length;
  }
  Empty(): void {
    this.items = [];
  }
}

/** A TMap whose removals leave holes in the index range, as TSparseArray does. */
export class FakeTMap<K, V> implements UE.TMap<K, V> {
  private slots: ({ key: K; value: V } | null)[] = [];

  constructor(entries: Iterable<[K, V]> = []) {
    for (const [k, v] of entries) this.Add(k, v);
  }
  Num(): number {
    return this.slots.filter(Boolean).length;
  }
  Add(Key: K, Value: V): void {
    const slot = this.slots.find((s) => s && s.key === Key);
    if (slot) slot.value = Value;
    else this.slots.push({ key: Key, value: Value });
  }
  Get(Key: K): V | undefined {
    return this.slots.find((s) => s && s.key === Key)?.value;
  }
  Set(Key: K, Value: V): void {
    this.Add(Key, Value);
  }
  Remove(Key: K): void {
    const i = this.slots.findIndex((s) => s && s.key === Key);
    if (i >= 0) this.slots[i] = null;
  }
  GetMaxIndex(): number {
    return this.slots.length;
  }
  IsValidIndex(Index: number): boolean {
    return this.slots[Index] != null;
  }
  GetKey(Index: number): K {
    const s = this.slots[Index];
    if (!s) throw new Error(`TMap index ${Index} is not valid`);
    return s.key;
  }
  Empty(): void {
    this.slots = [];
  }
  /** Test helper: a plain object view. */
  toObject(): Record<string, V> {
    const out: Record<string, V> = {};
    for (const s of this.slots) if (s) out[String(s.key)] = s.value;
    return out;
  }
}

export class FakeMulticastDelegate<T extends (...args: any) => any> implements UE.$MulticastDelegate<T> {
  private handlers: T[] = [];
  /** Every broadcast, for assertions. */
  readonly calls: Parameters<T>[] = [];

  Add(fn: T): void {
    this.handlers.push(fn);
  }
  Remove(fn: T): void {
    this.handlers = this.handlers.filter((h) => h !== fn);
  }
  Broadcast(...a: Parameters<T>): ReturnType<T> {
    this.calls.push(a);
    let result: ReturnType<T> | undefined;
    for (const h of [...this.handlers]) result = h(...a);
    return result as ReturnType<T>;
  }
  Clear(): void {
    this.handlers = [];
  }
}
