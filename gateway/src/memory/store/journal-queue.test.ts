import { appendFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ArchiveRecord } from '../types.js';
import { JournalQueue } from './journal-queue.js';

const rec = (i: number, pad = 0): ArchiveRecord => ({ npc: 'zombie', player: 'p', turn: { id: `t${i}`, at: i, playerText: 'x'.repeat(pad), npcText: '', status: 'completed', heardMs: null, tier: null }, card: null, items: [] });
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'parley-journal-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('journal queue (embedded archive queue)', () => {
  it('resumes from the acknowledged cursor after a restart', async () => {
    const dir = tmp();
    const a = new JournalQueue(dir);
    for (let i = 0; i < 10; i++) a.append(rec(i));
    const got = await a.take(4, 0);
    await a.ack(got.map((g) => g.qid));
    await a.take(4, 0); // taken but not acknowledged when the process dies
    await a.close();
    const b = new JournalQueue(dir);
    expect(await b.backlog()).toBe(6);
    expect((await b.take(100, 0)).map((g) => g.record.turn.id)).toEqual(['t4', 't5', 't6', 't7', 't8', 't9']);
    await b.close();
  });

  it('cuts a torn last line left by a crash mid-write', async () => {
    const dir = tmp();
    const a = new JournalQueue(dir);
    a.append(rec(1));
    await a.close();
    appendFileSync(join(dir, 'journal', '00000001.jsonl'), '{"npc":"zombie","pla');
    const b = new JournalQueue(dir);
    b.append(rec(2));
    expect((await b.take(10, 0)).map((g) => g.record.turn.id)).toEqual(['t1', 't2']);
    await b.close();
  });

  it('rotates segments and deletes the ones fully acknowledged', async () => {
    const dir = tmp();
    const q = new JournalQueue(dir);
    for (let i = 0; i < 40; i++) q.append(rec(i, 300_000)); // ~12 MB: two segments
    expect(readdirSync(join(dir, 'journal')).filter((f) => f.endsWith('.jsonl')).length).toBe(2);
    let seen = 0;
    for (let got = await q.take(7, 0); got.length; got = await q.take(7, 0)) {
      seen += got.length;
      await q.ack(got.map((g) => g.qid));
    }
    expect(seen).toBe(40);
    expect(readdirSync(join(dir, 'journal')).filter((f) => f.endsWith('.jsonl'))).toEqual(['00000002.jsonl']);
    await q.close();
  });
});
