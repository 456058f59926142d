export * from './client/parley-client.js';
