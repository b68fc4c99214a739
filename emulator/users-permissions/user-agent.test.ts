import { describe, expect, test } from 'vitest';
import { deviceName } from './user-agent.js';

describe('deviceName (Strapi 5 session labels)', () => {
  test('browser on OS, in Strapi order (Edge before Chrome, iOS before macOS)', () => {
    // Seen on real 5.54.0: this User-Agent's register session is labelled "Chrome on Linux".
    expect(deviceName('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120 Safari/537.36')).toBe('Chrome on Linux');
    expect(deviceName('Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 Chrome/120 Safari/537.36 Edg/120')).toBe('Edge on Windows');
    expect(deviceName('Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Version/17.0 Mobile/15E148 Safari/604.1')).toBe('Safari on iOS');
  });
  test('one side only, or nothing (curl, none)', () => {
    expect(deviceName('Mozilla/5.0 (X11; Linux x86_64)')).toBe('Linux');
    expect(deviceName('Firefox/120')).toBe('Firefox');
    expect(deviceName('curl/8.5.0')).toBeUndefined();
    expect(deviceName(null)).toBeUndefined();
  });
  test('an oversized header is clamped: a token past 1024 chars is not seen', () => {
    expect(deviceName(`${'x'.repeat(2000)} Firefox/1`)).toBeUndefined();
  });
});
