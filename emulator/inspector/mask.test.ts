import { expect, test } from 'vitest';
import { maskHeader, maskSecrets } from './mask.js';

const jwt = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpZCI6MSwiaWF0IjoxNzAwMDAwMDAwfQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ';

test('JSON bodies: passwords, tokens, codes and JWTs masked, everything else kept', () => {
  const body = JSON.stringify({ identifier: 'ann', password: 'Passw0rd!', passwordConfirmation: 'x\\"y', currentPassword: 'old', code: 'f00'.repeat(40), refreshToken: 'r', user: { username: 'ann', resetPasswordToken: null } });
  expect(maskSecrets(body)).toBe('{"identifier":"ann","password":"***","passwordConfirmation":"***","currentPassword":"***","code":"***","refreshToken":"***","user":{"username":"ann","resetPasswordToken":null}}');
  expect(maskSecrets(`{"jwt":"${jwt}","user":{"id":1}}`)).toBe('{"jwt":"***","user":{"id":1}}');
  expect(maskSecrets(`{"note":"Bearer ${jwt} and ${'ab12'.repeat(32)}"}`)).toBe('{"note":"Bearer eyJ*** and ***"}');
  expect(maskSecrets('{"password":""}')).toBe('{"password":""}');
  expect(maskSecrets('{"code":"fr","name":"French"}')).toBe('{"code":"fr","name":"French"}');
});

test('a body cut mid-value still has its secret masked', () => {
  expect(maskSecrets('{"username":"ann","password":"Passw0')).toBe('{"username":"ann","password":"***"');
});

test('forms and query strings', () => {
  expect(maskSecrets('/api/auth/email-confirmation?confirmation=f00ba4&x=1', 'query')).toBe('/api/auth/email-confirmation?confirmation=***&x=1');
  expect(maskSecrets('/api/connect/github/callback?access_token=abc&raw[x]=1', 'query')).toBe('/api/connect/github/callback?access_token=***&raw[x]=1');
  expect(maskSecrets('/api/articles?filters[title][$eq]=code', 'query')).toBe('/api/articles?filters[title][$eq]=code');
  expect(maskSecrets('identifier=ann&password=secret')).toBe('identifier=ann&password=***');
});

test('authorization headers keep their scheme only', () => {
  expect(maskHeader('authorization', `Bearer ${jwt}`)).toBe('Bearer ***');
  expect(maskHeader('Authorization', 'garbage')).toBe('***');
  expect(maskHeader('content-type', 'application/json')).toBe('application/json');
});
