// The sign-in flow and API helpers shared by the staff pages: the agent console, compliance
// review and the journey dashboard. Plain browser script (no build step, no libraries): a
// page's HTML loads /static/staff.js before its own script, which then calls StaffPage().
//
// The page's HTML provides these elements by id: #notice (a status line), #login-view with
// #login-form, #username and #password, #whoami with #me and the #logout button, and the
// page's main view, which is shown only while signed in.
//
//   const { $, el, notice } = StaffPage;
//   const staff = StaffPage({
//     tokenKey: "banking-assistant.example-token", view: "main-view",
//     roles: ["analyst", "admin"], refusal: "This page needs the analyst role.",
//     onSignedIn: async (me) => { /* load the page's data */ },
//     onSignedOut: () => { /* page-specific cleanup */ },
//   });
//   const data = await staff.api("/v1/...");
//   staff.start();
(() => {
  const LOGIN = "/v1/staff/login";

  /** The element with this id. */
  const $ = (id) => document.getElementById(id);

  /** Shows `text` in #notice, or hides it when `text` is empty. */
  function notice(text) { $("notice").textContent = text || ""; $("notice").hidden = !text; }

  /** A new element with optional text content (set as text, never as HTML) and class. */
  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  /** Fills the filter <select> with this id: "any" (value "") first, then `values`. */
  function anyOf(id, values) {
    $(id).replaceChildren(el("option", "any"), ...values.map((v) => el("option", v)));
    $(id).firstChild.value = "";
  }

  /**
   * Wires sign-in and sign-out for one staff page and returns its API helpers.
   *
   * @param {object} options
   * @param {string} options.tokenKey sessionStorage key under which this page keeps its token.
   * @param {string} options.view id of the page's main view, shown only while signed in.
   * @param {string[]} [options.roles] roles let in; left out, every signed-in colleague is.
   * @param {string} [options.refusal] notice shown (after signing out) to any other role.
   * @param {(me: object) => (void|Promise<void>)} [options.onSignedIn] called with the
   *   colleague (GET /v1/staff/me) once the view is shown; an error it throws reaches the
   *   sign-in form's notice.
   * @param {() => void} [options.onSignedOut] page cleanup whenever the page signs out:
   *   on start without a token, the Sign out button, a refused role, or any 401.
   * @returns {{start: () => Promise<void>, signedOut: () => void, request: Function,
   *   api: Function, readonly token: (string|null)}}
   */
  function StaffPage({ tokenKey, view, roles, refusal, onSignedIn, onSignedOut }) {
    let token = sessionStorage.getItem(tokenKey);

    /**
     * fetch() with this page's bearer token (and a JSON content type when there is a body).
     * Resolves to the Response when it is ok; otherwise throws an Error carrying the API's
     * error message, `status` and `body`. A 401 (other than a failed sign-in) signs out.
     */
    async function request(path, options = {}) {
      const headers = { ...(options.body ? { "Content-Type": "application/json" } : {}) };
      if (token) headers.Authorization = `Bearer ${token}`;
      const response = await fetch(path, { ...options, headers });
      if (!response.ok) {
        const body = await response.json().catch(() => ({}));
        if (response.status === 401 && path !== LOGIN) signedOut();
        throw Object.assign(new Error(body.error?.message || response.statusText), { status: response.status, body });
      }
      return response;
    }

    /** request() and its JSON body; `{}` for 204 No Content. */
    async function api(path, options = {}) {
      const response = await request(path, options);
      return response.status === 204 ? {} : response.json();
    }

    /** Shows the main view for the stored token's colleague, or the sign-in form. */
    async function start() {
      if (!token) return signedOut();
      let me;
      try {
        me = await api("/v1/staff/me");
      } catch (error) {
        return signedOut();
      }
      if (roles && !roles.includes(me.role)) {
        signedOut();
        return notice(refusal);
      }
      $("me").textContent = `${me.display_name} · ${me.role}`;
      $("whoami").hidden = false;
      $("login-view").hidden = true;
      $(view).hidden = false;
      if (onSignedIn) await onSignedIn(me);
    }

    /** Forgets the token (this tab only) and shows the sign-in form. */
    function signedOut() {
      token = null;
      sessionStorage.removeItem(tokenKey);
      if (onSignedOut) onSignedOut();
      $("whoami").hidden = true;
      $(view).hidden = true;
      $("login-view").hidden = false;
    }

    $("login-form").addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        const session = await api(LOGIN, {
          method: "POST", body: JSON.stringify({ username: $("username").value, password: $("password").value }),
        });
        token = session.token;
        sessionStorage.setItem(tokenKey, token);
        $("password").value = "";
        notice("");
        await start();
      } catch (error) {
        notice(error.message);
      }
    });

    // Ends the session on the server too (its token stops working at once), then locally
    // even when the server cannot be reached.
    $("logout").addEventListener("click", async () => {
      await api("/v1/staff/logout", { method: "POST" }).catch(() => {});
      signedOut();
    });

    return { start, signedOut, request, api, get token() { return token; } };
  }

  window.StaffPage = Object.assign(StaffPage, { $, el, notice, anyOf });
})();
