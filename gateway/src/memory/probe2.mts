import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
const t = performance.now();
const db = await PGlite.create({ dataDir: process.argv[2]!, extensions: { vector } });
await db.exec('create extension if not exists vector');
console.log(process.argv[2], 'open', Math.round(performance.now() - t));
await db.close();
