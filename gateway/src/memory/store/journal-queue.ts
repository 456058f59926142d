/**
 * The embedded default's durable archive queue: an append-only journal of JSON lines in the data
 * folder, read by the archiver from an acknowledged cursor.
 *
 * - append() is one synchronous write(2) of a whole line (tens of microseconds): once it returns,
 *   the record survives the process being killed (it is in the kernel's page cache; it is not
 *   fsync'ed, so a power cut can lose the last records — use Redis + PostgreSQL for that).
 * - take() reads forward from the last position handed out; ack() moves the durable cursor
 *   (written atomically: temp file + rename) and deletes fully acknowledged segments.
 * - After a crash, reading restarts at the cursor, so records taken but not acknowledged come
 *   back: at-least-once, made exactly-once by the archive's idempotent inserts.
 * - A torn last line (killed mid-write) is cut off when the journal is opened.
 */
import { closeSync, existsSync, fstatSync, ftruncateSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { ArchiveRecord } from '../types.js';
import type { ArchiveQueue, QueuedRecord } from './memory-store.js';

const SEGMENT_BYTES = 8 * 1024 * 1024;
const READ_CHUNK = 256 * 1024;
const segName = (n: number) => `${String(n).padStart(8, '0')}.jsonl`;

/** A line that is not a record (cannot happen short of disk damage) is skipped rather than blocking the queue. */
function parseLine(line: string): ArchiveRecord | null {
  try {
    const r = JSON.parse(line) as ArchiveRecord;
    return r && typeof r === 'object' && r.turn ? r : null;
  } catch {
    return null;
  }
}

interface Position {
  segment: number;
  offset: number;
}

export class JournalQueue implements ArchiveQueue {
  private readonly dir: string;
  private writeFd = -1;
  private writeSegment = 1;
  private writeSize = 0;
  private read: Position;
  private cursor: Position;
  private waiters: Array<() => void> = [];
  private closed = false;

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'journal');
    mkdirSync(this.dir, { recursive: true });
    this.cursor = this.loadCursor();
    const segments = this.segments();
    this.writeSegment = Math.max(this.cursor.segment, segments.at(-1) ?? 1);
    this.writeFd = openSync(join(this.dir, segName(this.writeSegment)), 'a+');
    this.writeSize = this.cutTornLine(this.writeFd);
    this.read = { ...this.cursor };
  }

  /** Appends one record durably (against process death) before returning. */
  append(record: ArchiveRecord): void {
    if (this.closed) throw new Error('journal is closed');
    const line = Buffer.from(`${JSON.stringify(record)}\n`);
    if (this.writeSize > 0 && this.writeSize + line.length > SEGMENT_BYTES) this.rotate();
    writeSync(this.writeFd, line);
    this.writeSize += line.length;
    const w = this.waiters;
    this.waiters = [];
    for (const wake of w) wake();
  }

  async take(max: number, blockMs: number): Promise<QueuedRecord[]> {
    let out = this.readSome(max);
    if (out.length === 0 && blockMs > 0 && !this.closed) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, blockMs);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      out = this.readSome(max);
    }
    return out;
  }

  async ack(qids: readonly string[]): Promise<void> {
    let best = this.cursor;
    for (const q of qids) {
      const [s, o] = q.split(':').map(Number) as [number, number];
      if (s > best.segment || (s === best.segment && o > best.offset)) best = { segment: s, offset: o };
    }
    if (best === this.cursor) return;
    this.cursor = best;
    const tmp = join(this.dir, 'cursor.json.tmp');
    writeFileSync(tmp, JSON.stringify(best));
    renameSync(tmp, join(this.dir, 'cursor.json'));
    for (const s of this.segments()) if (s < best.segment) rmSync(join(this.dir, segName(s)), { force: true });
  }

  async backlog(): Promise<number> {
    // Records between the durable cursor and the end of the journal (counted, not estimated: the journal is small).
    let n = 0;
    const pos = { ...this.cursor };
    for (;;) {
      const { records, next } = this.scan(pos, 10_000);
      n += records.length;
      if (records.length === 0) break;
      Object.assign(pos, next);
    }
    return n;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.writeFd >= 0) closeSync(this.writeFd);
    this.writeFd = -1;
    for (const wake of this.waiters) wake();
    this.waiters = [];
  }

  private readSome(max: number): QueuedRecord[] {
    if (this.closed) return [];
    const { records, next } = this.scan(this.read, max);
    this.read = next;
    return records;
  }

  /** Up to max complete records from pos; moves across finished segments. */
  private scan(pos: Position, max: number): { records: QueuedRecord[]; next: Position } {
    const records: QueuedRecord[] = [];
    let { segment, offset } = pos;
    while (records.length < max) {
      const path = join(this.dir, segName(segment));
      if (!existsSync(path)) break;
      const fd = openSync(path, 'r');
      try {
        const size = fstatSync(fd).size;
        let chunk = READ_CHUNK;
        while (records.length < max && offset < size) {
          const buf = Buffer.alloc(Math.min(chunk, size - offset));
          const n = readSync(fd, buf, 0, buf.length, offset);
          let start = 0;
          for (;;) {
            const nl = buf.indexOf(10, start);
            if (nl < 0 || nl >= n || records.length >= max) break;
            const line = buf.subarray(start, nl).toString('utf8');
            offset += nl + 1 - start;
            start = nl + 1;
            const record = parseLine(line);
            if (record) records.push({ qid: `${segment}:${offset}`, record });
          }
          if (start === 0) {
            if (offset + buf.length >= size) break; // an incomplete last line: wait for the writer
            chunk *= 2; // a line longer than the chunk: read more at once
          }
        }
        if (offset < size || segment >= this.writeSegment) break;
      } finally {
        closeSync(fd);
      }
      segment++;
      offset = 0;
    }
    return { records, next: { segment, offset } };
  }

  private rotate(): void {
    closeSync(this.writeFd);
    this.writeSegment++;
    this.writeFd = openSync(join(this.dir, segName(this.writeSegment)), 'a+');
    this.writeSize = 0;
  }

  /** Cuts a trailing partial line (a write interrupted by a crash); returns the file size. */
  private cutTornLine(fd: number): number {
    const size = fstatSync(fd).size;
    if (size === 0) return 0;
    const tail = Buffer.alloc(Math.min(size, READ_CHUNK));
    readSync(fd, tail, 0, tail.length, size - tail.length);
    if (tail.at(-1) === 10) return size;
    const nl = tail.lastIndexOf(10);
    const keep = nl < 0 ? size - tail.length : size - tail.length + nl + 1;
    ftruncateSync(fd, keep);
    return keep;
  }

  private segments(): number[] {
    return readdirSync(this.dir)
      .filter((f) => /^\d{8}\.jsonl$/.test(f))
      .map((f) => Number(f.slice(0, 8)))
      .sort((a, b) => a - b);
  }

  private loadCursor(): Position {
    try {
      const c = JSON.parse(readFileSync(join(this.dir, 'cursor.json'), 'utf8')) as Position;
      if (Number.isInteger(c.segment) && Number.isInteger(c.offset)) return c;
    } catch {
      /* no cursor yet */
    }
    const first = this.segments()[0];
    return { segment: first ?? 1, offset: 0 };
  }
}
