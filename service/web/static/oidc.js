// OpenID Connect sign-in for a public browser client: authorization code flow with PKCE
// (S256), `state` and `nonce`. Only the verifier, state and nonce wait in sessionStorage
// across the redirect to the provider; the tokens are returned to the caller and kept in memory.

const PENDING_KEY = "banking-assistant.sign-in";
const RESPONSE_PARAMS = ["code", "state", "error", "error_description", "iss", "session_state"];

function base64url(bytes) {
  return btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function randomString(size = 32) {
  return base64url(crypto.getRandomValues(new Uint8Array(size)));
}

async function s256(verifier) {
  return base64url(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
}

function jwtClaims(token) {
  const part = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
  const bytes = Uint8Array.from(atob(part), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

export class SignInError extends Error {}

/** Whether this page load is the provider's redirect back with a code or an error. */
export function isRedirectBack() {
  const query = new URLSearchParams(location.search);
  return query.has("state") && (query.has("code") || query.has("error"));
}

export class OidcClient {
  /** @param {{issuer: string, client_id: string}} config what `/web/config` returns */
  constructor(config) {
    this.issuer = config.issuer;
    this.clientId = config.client_id;
    this.redirectUri = `${location.origin}/`;
    this.metadata = null;
  }

  async discover() {
    if (this.metadata) return this.metadata;
    const response = await fetch(`${this.issuer}/.well-known/openid-configuration`);
    if (!response.ok) throw new SignInError("Signing in is not possible right now. Please try again in a minute.");
    const metadata = await response.json();
    if (metadata.issuer !== this.issuer) throw new SignInError("The sign-in service is misconfigured.");
    this.metadata = metadata;
    return metadata;
  }

  /** Leaves the page for the provider's login; `maxAge`, `acrValues`, `prompt` for a step-up. */
  async signIn({ maxAge, acrValues, prompt } = {}) {
    const { authorization_endpoint: endpoint } = await this.discover();
    const pending = { state: randomString(), nonce: randomString(), verifier: randomString(48) };
    const params = new URLSearchParams({
      response_type: "code",
      client_id: this.clientId,
      redirect_uri: this.redirectUri,
      scope: "openid",
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: await s256(pending.verifier),
      code_challenge_method: "S256",
    });
    if (maxAge !== undefined && maxAge !== null) params.set("max_age", String(maxAge));
    if (acrValues) params.set("acr_values", acrValues);
    if (prompt) params.set("prompt", prompt);
    sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
    location.assign(`${endpoint}?${params}`);
  }

  /** Redeems the code this page was redirected back with: `{accessToken, idToken, expiresAt}`. */
  async completeSignIn() {
    const query = new URLSearchParams(location.search);
    const pending = JSON.parse(sessionStorage.getItem(PENDING_KEY) || "null");
    sessionStorage.removeItem(PENDING_KEY);
    const clean = new URL(location.href);
    RESPONSE_PARAMS.forEach((name) => clean.searchParams.delete(name));
    history.replaceState(null, "", clean.pathname + clean.search + clean.hash);

    if (!pending || query.get("state") !== pending.state) throw new SignInError("The sign-in could not be completed. Please try again.");
    if (query.has("error")) {
      throw new SignInError(query.get("error") === "access_denied" ? "Sign-in was cancelled." : "The sign-in did not succeed. Please try again.");
    }
    if (query.has("iss") && query.get("iss") !== this.issuer) throw new SignInError("The sign-in came from an unexpected provider.");

    const { token_endpoint: endpoint } = await this.discover();
    const response = await fetch(endpoint, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code: query.get("code"),
        redirect_uri: this.redirectUri,
        client_id: this.clientId,
        code_verifier: pending.verifier,
      }),
    });
    const tokens = await response.json().catch(() => ({}));
    if (!response.ok || !tokens.access_token) throw new SignInError("The sign-in could not be completed. Please try again.");
    if (tokens.id_token) this.checkIdToken(tokens.id_token, pending.nonce);
    return {
      accessToken: tokens.access_token,
      idToken: tokens.id_token || null,
      expiresAt: Date.now() + 1000 * (tokens.expires_in || 0),
    };
  }

  // The ID token comes straight from the token endpoint, so TLS vouches for its origin;
  // the claims tie it to this client and this sign-in.
  checkIdToken(idToken, nonce) {
    const claims = jwtClaims(idToken);
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (claims.iss !== this.issuer || !audiences.includes(this.clientId) || claims.nonce !== nonce) {
      throw new SignInError("The sign-in could not be verified. Please try again.");
    }
  }

  /** Ends the provider's session too (when it publishes an end_session endpoint). */
  async signOut(idToken) {
    let endpoint;
    try {
      endpoint = (await this.discover()).end_session_endpoint;
    } catch {
      return false;
    }
    if (!endpoint) return false;
    const params = new URLSearchParams({ client_id: this.clientId, post_logout_redirect_uri: this.redirectUri });
    if (idToken) params.set("id_token_hint", idToken);
    location.assign(`${endpoint}?${params}`);
    return true;
  }
}
