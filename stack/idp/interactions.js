// The provider's own interaction pages (Koa middleware, in place of oidc-provider's
// devInteractions): the sign-in form with login and password, and the consent that the
// bank's first-party clients are granted without asking.
//
//   GET  /interaction/:uid         the sign-in form, or (consent) straight back to the provider
//   POST /interaction/:uid/login   checks login and password: 303 back to the provider;
//                                  401 with the same message for any wrong login or password;
//                                  429 (Retry-After) once that login or address failed too often
//   POST /interaction/:uid/abort   the customer cancelled: access_denied for the client
import { errors } from 'oidc-provider';

import { loginPage, page, SECURITY_HEADERS } from './pages.js';
import { LOA1, LOA2, requestsStepUp } from './provider.js';
import { normalise } from './users.js';

const MAX_FORM_BYTES = 8 * 1024;
const WRONG_CREDENTIALS = 'The login or password is not correct.';
const THROTTLED = 'Too many failed sign-ins. Please try again later.';

async function readForm(ctx) {
  if (!ctx.is('application/x-www-form-urlencoded')) return new URLSearchParams();
  let size = 0;
  const chunks = [];
  for await (const chunk of ctx.req) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) ctx.throw(413, 'form too large');
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function render(ctx, status, html) {
  ctx.status = status;
  ctx.set(SECURITY_HEADERS);
  ctx.type = 'html';
  ctx.body = html;
}

function redirect(ctx, location) {
  ctx.status = 303;
  ctx.redirect(location);
}

export function interactions({ provider, users, throttle, log }) {
  async function showLogin(ctx, details) {
    const session = details.session?.accountId ? await users.bySubject(details.session.accountId) : undefined;
    const login = session?.login ?? details.params.login_hint ?? '';
    render(ctx, 200, loginPage({ uid: details.uid, login, stepUp: Boolean(session) }));
  }

  async function grantConsent(ctx, details) {
    const { prompt: { details: missing }, params, session, grantId } = details;
    const grant = grantId
      ? await provider.Grant.find(grantId)
      : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
      grant.addResourceScope(indicator, scopes.join(' '));
    }
    const result = { consent: { grantId: await grant.save() } };
    redirect(ctx, await provider.interactionResult(ctx.req, ctx.res, result));
  }

  async function login(ctx, details) {
    const form = await readForm(ctx);
    const given = form.get('login') ?? '';
    const key = normalise(given);
    const wait = throttle.retryAfterS(key, ctx.ip);
    const stepUp = Boolean(details.session?.accountId);
    if (wait > 0) {
      ctx.set('Retry-After', String(wait));
      log('sign-in refused: too many failures');
      render(ctx, 429, loginPage({ uid: details.uid, login: given, error: THROTTLED, stepUp }));
      return;
    }
    const user = await users.authenticate(key, form.get('password'));
    if (!user) {
      throttle.failed(key, ctx.ip);
      log('sign-in refused: wrong login or password');
      render(ctx, 401, loginPage({ uid: details.uid, login: given, error: WRONG_CREDENTIALS, stepUp }));
      return;
    }
    throttle.succeeded(key);
    const acr = requestsStepUp(details.params.acr_values) ? LOA2 : LOA1;
    const result = {
      login: { accountId: user.subject, acr, amr: ['pwd'], ts: Math.floor(Date.now() / 1000) },
    };
    redirect(ctx, await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: false }));
  }

  async function abort(ctx) {
    const result = { error: 'access_denied', error_description: 'The customer cancelled the sign-in.' };
    redirect(ctx, await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: false }));
  }

  return async function interactionRoutes(ctx, next) {
    const match = /^\/interaction\/([\w-]+)(?:\/(login|abort))?$/.exec(ctx.path);
    if (!match) return next();
    const [, uid, action] = match;
    let details;
    try {
      details = await provider.interactionDetails(ctx.req, ctx.res);
    } catch (err) {
      if (!(err instanceof errors.SessionNotFound)) throw err;
    }
    if (!details || details.uid !== uid) {
      render(ctx, 400, page('Sign-in expired', '<p>This sign-in request has expired. Please start again.</p>'));
      return undefined;
    }
    if (ctx.method === 'GET' && !action) {
      if (details.prompt.name === 'login') return showLogin(ctx, details);
      if (details.prompt.name === 'consent') return grantConsent(ctx, details);
      ctx.throw(400, 'unknown interaction');
    }
    if (ctx.method === 'POST' && action === 'login' && details.prompt.name === 'login') return login(ctx, details);
    if (ctx.method === 'POST' && action === 'abort') return abort(ctx);
    ctx.throw(405);
    return undefined;
  };
}
