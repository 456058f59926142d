export * from './limits.js';
export * from './errors.js';
export * from './client-frames.js';
export * from './server-frames.js';
export * from './worker-frames.js';
export * from './codec.js';
export { TurnId, Timings, VisemeTuple } from './schema-parts.js';
export * from './pcm.js';
export * from './wav.js';
