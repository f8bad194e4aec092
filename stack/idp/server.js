// The bank's local stand-in OpenID Connect provider (oidc-provider), for `make up` and the tests.
// Production uses the bank's own provider; nothing here runs there.
//
// Environment:
//   IDP_PORT                  port on 127.0.0.1 (8090)
//   IDP_ISSUER                issuer (http://127.0.0.1:<IDP_PORT>)
//   IDP_USERS_FILE            JSON users, read at every sign-in (users.js)
//   IDP_KEYS_FILE             private JWKS {"keys": [...]}: the first key signs, all are published
//   IDP_AUDIENCE              audience of the access tokens (banking-assistant)
//   IDP_RESOURCE              resource indicator of that audience (urn:bank:resource:<audience>)
//   IDP_ACCESS_TOKEN_TTL_S    access and ID token lifetime (900)
//   IDP_SESSION_TTL_S         provider session lifetime (28800)
//   IDP_REDIRECT_PATHS        loopback redirect paths, comma-separated ("/,/callback")
//   IDP_LOGIN_MAX_FAILURES    failed sign-ins of one login per window (5)
//   IDP_ADDRESS_MAX_FAILURES  failed sign-ins from one address per window (20)
//   IDP_FAILURE_WINDOW_S      the window (300)
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

import Provider from 'oidc-provider';

import { interactions } from './interactions.js';
import { configuration, LOA1 } from './provider.js';
import { FailureThrottle } from './throttle.js';
import { Users } from './users.js';

const env = process.env;
const number = (name, fallback) => {
  const value = Number(env[name] ?? fallback);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer`);
  return value;
};
const required = (name) => {
  if (!env[name]) throw new Error(`${name} is not set`);
  return env[name];
};
const log = (message) => console.log(`idp: ${message}`);

const port = number('IDP_PORT', 8090);
const issuer = env.IDP_ISSUER || `http://127.0.0.1:${port}`;
const audience = env.IDP_AUDIENCE || 'banking-assistant';
const users = new Users(required('IDP_USERS_FILE'));
const jwks = JSON.parse(readFileSync(required('IDP_KEYS_FILE'), 'utf8'));

const provider = new Provider(issuer, configuration({
  audience,
  resource: env.IDP_RESOURCE || `urn:bank:resource:${audience}`,
  accessTokenTtlS: number('IDP_ACCESS_TOKEN_TTL_S', 900),
  sessionTtlS: number('IDP_SESSION_TTL_S', 8 * 3600),
  redirectPaths: (env.IDP_REDIRECT_PATHS || '/,/callback').split(',').map((p) => p.trim()).filter(Boolean),
  jwks,
  users,
  cookieKeys: [randomBytes(32).toString('base64url')], // sessions end with the process
}));

// A session that served a step-up (loa:2) authorization is loa:1 again for the next one.
provider.on('authorization.success', (ctx) => {
  if (ctx.oidc.session?.accountId && ctx.oidc.session.acr !== LOA1) ctx.oidc.session.acr = LOA1;
});
provider.on('server_error', (ctx, err) => log(`server error: ${err.message}`));

const throttle = new FailureThrottle({
  maxPerLogin: number('IDP_LOGIN_MAX_FAILURES', 5),
  maxPerAddress: number('IDP_ADDRESS_MAX_FAILURES', 20),
  windowS: number('IDP_FAILURE_WINDOW_S', 300),
});

provider.use(async (ctx, next) => {
  if (ctx.path === '/healthz' && ctx.method === 'GET') {
    ctx.body = { status: 'ok' };
    return;
  }
  await next();
});
provider.use(interactions({ provider, users, throttle, log }));

provider.listen(port, '127.0.0.1', () => {
  log(`issuer ${issuer}, ${jwks.keys.length} signing key(s), audience ${audience}`);
});
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => process.exit(0)); // nothing to flush: every record lives in memory
}
