import { describe, expect, it } from 'vitest';
import { ConfigError, loadGatewayConfig, makeKeyCheck } from './gateway-config.js';

describe('gateway configuration', () => {
  it('has working defaults: loopback, a development token', () => {
    const c = loadGatewayConfig({});
    expect(c.port).toBe(8787);
    expect(c.host).toBe('127.0.0.1');
    expect(c.devToken).toMatch(/^dev-[0-9a-f]{24}$/);
    expect(c.apiKeys).toEqual([]);
  });

  it('reads keys and numbers', () => {
    const c = loadGatewayConfig({ PARLEY_API_KEYS: ' key-aaaaaaaa , key-bbbbbbbb ', PARLEY_PORT: '9000', PARLEY_HOST: '0.0.0.0', PARLEY_MAX_TURNS_IN_FLIGHT: '3' });
    expect(c.apiKeys).toEqual(['key-aaaaaaaa', 'key-bbbbbbbb']);
    expect(c.workerKeys).toEqual(c.apiKeys);
    expect(c.devToken).toBeNull();
    expect(c.port).toBe(9000);
    expect(c.maxTurnsInFlight).toBe(3);
  });

  it('names the variable and the fix for a bad value', () => {
    expect(() => loadGatewayConfig({ PARLEY_PORT: '80a' })).toThrow(/PARLEY_PORT="80a": must be a whole number/);
    expect(() => loadGatewayConfig({ PARLEY_PORT: '70000' })).toThrow(/PARLEY_PORT.*≤ 65535/);
    expect(() => loadGatewayConfig({ PARLEY_API_KEYS: 'short' })).toThrow(/PARLEY_API_KEYS.*8\.\.512/);
    expect(() => loadGatewayConfig({ PARLEY_LOG_LEVEL: 'loud' })).toThrow(ConfigError);
  });

  it('refuses a non-loopback bind without keys', () => {
    expect(() => loadGatewayConfig({ PARLEY_HOST: '0.0.0.0' })).toThrow(/PARLEY_API_KEYS/);
  });

  it('checks keys exactly', () => {
    const check = makeKeyCheck(['key-aaaaaaaa'], 'dev-token-123');
    expect(check('key-aaaaaaaa')).toBe(true);
    expect(check('dev-token-123')).toBe(true);
    expect(check('key-aaaaaaab')).toBe(false);
    expect(check('')).toBe(false);
  });
});
