// The oidc-provider configuration of the bank's local stand-in OpenID Connect provider.
//
// - Two first-party public clients, banking-web and banking-app: authorization code with PKCE
//   (S256; oidc-provider requires PKCE of every client without a secret), no client secret.
//   Both are registered as application_type "native", whose http loopback redirect URIs
//   (127.0.0.1, localhost, [::1]) match on any port (RFC 8252, section 7.3; oidc-provider's
//   Client#redirectUriAllowed): the service runs on a free port in tests, on 8000 for `make up`.
//   The path must still match one registered (IDP_REDIRECT_PATHS, "/" and "/callback").
// - Access tokens are JWTs (RFC 9068, typ at+jwt) for one resource server, the assistant's API
//   (audience IDP_AUDIENCE), signed with the first key of the key file, and carry the login's
//   auth_time and acr (added with extraTokenClaims: the JWT format has neither by itself).
// - Authentication levels (acr):
//     urn:bank:loa:1  signed in with login and password, now or earlier in this browser session;
//     urn:bank:loa:2  the password was entered again in this very authorization request,
//                     because the request asked for acr_values=urn:bank:loa:2 (a step-up).
//   A request for loa:2 always shows the sign-in form, even with a live session; once that
//   authorization is done the session is back at loa:1, so reusing it never yields loa:2.
//   max_age works as OpenID Connect says: an older session is asked to sign in again.
import { errors, interactionPolicy } from 'oidc-provider';

import { errorPage, loggedOutPage, logoutPage, SECURITY_HEADERS } from './pages.js';

export const LOA1 = 'urn:bank:loa:1';
export const LOA2 = 'urn:bank:loa:2';
export const CLIENT_IDS = ['banking-web', 'banking-app'];
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function requestsStepUp(acrValues) {
  return typeof acrValues === 'string' && acrValues.split(' ').includes(LOA2);
}

function loopbackUris(paths) {
  return ['127.0.0.1', 'localhost'].flatMap((host) => paths.map((p) => `http://${host}${p}`));
}

function policy() {
  const base = interactionPolicy.base();
  base.get('login').checks.push(new interactionPolicy.Check(
    'acr_step_up',
    'the requested authentication level needs the password again',
    (ctx) => requestsStepUp(ctx.oidc.params.acr_values) && !ctx.oidc.result?.login,
  ));
  // Both clients are the bank's own: consent is implied (and granted by interactions.js),
  // so native clients need no consent screen of their own either.
  base.get('consent').checks.remove('native_client_prompt');
  return base;
}

function render(ctx, html) {
  ctx.set(SECURITY_HEADERS);
  ctx.type = 'html';
  ctx.body = html;
}

export function configuration({ audience, resource, accessTokenTtlS, sessionTtlS, redirectPaths, jwks, users, cookieKeys }) {
  const uris = loopbackUris(redirectPaths);
  return {
    clients: CLIENT_IDS.map((clientId) => ({
      client_id: clientId,
      client_name: clientId === 'banking-web' ? 'Banking assistant (web)' : 'Banking assistant (app)',
      application_type: 'native',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code'],
      response_types: ['code'],
      redirect_uris: uris,
      post_logout_redirect_uris: uris,
      scope: 'openid profile',
      id_token_signed_response_alg: 'RS256',
      require_auth_time: true,
    })),
    jwks,
    cookies: { keys: cookieKeys },
    claims: { openid: ['sub'], profile: ['preferred_username'], acr: null, auth_time: null, sid: null },
    acrValues: [LOA1, LOA2],
    scopes: ['openid', 'profile'],
    responseTypes: ['code'],
    clientAuthMethods: ['none'],
    pkce: { required: () => true },
    clientBasedCORS: (ctx, origin, client) => {
      const url = URL.parse(origin);
      return CLIENT_IDS.includes(client.clientId) && url?.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
    },
    async findAccount(ctx, sub) {
      const user = await users.bySubject(sub);
      if (!user) return undefined;
      return { accountId: sub, claims: () => ({ sub, preferred_username: user.login }) };
    },
    interactions: { policy: policy(), url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      userinfo: { enabled: false }, // the access token is for the assistant; the ID token has the claims
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => render(ctx, logoutPage(form, ctx.host)),
        postLogoutSuccessSource: (ctx) => render(ctx, loggedOutPage()),
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => resource,
        useGrantedResource: () => true,
        getResourceServerInfo: (ctx, indicator) => {
          if (indicator !== resource) throw new errors.InvalidTarget();
          return {
            scope: '',
            audience,
            accessTokenTTL: accessTokenTtlS,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
    async extraTokenClaims(ctx, token) {
      const source = ctx.oidc.entities.AuthorizationCode;
      if (!source) return undefined;
      const claims = { auth_time: source.authTime, acr: source.acr };
      // Colleagues (users with groups) also carry their groups and login, from which the
      // assistant maps their role; customers carry neither.
      const user = token.accountId ? await users.bySubject(token.accountId) : undefined;
      if (Array.isArray(user?.groups) && user.groups.length > 0) {
        Object.assign(claims, { groups: user.groups.map(String), preferred_username: user.login });
      }
      return claims;
    },
    ttl: {
      AccessToken: (ctx, token) => token.resourceServer?.accessTokenTTL ?? accessTokenTtlS,
      AuthorizationCode: 60,
      IdToken: accessTokenTtlS,
      Interaction: 600,
      Grant: sessionTtlS,
      Session: sessionTtlS,
    },
    renderError: (ctx, out) => render(ctx, errorPage(out)),
  };
}
