// The provider's few HTML pages: sign-in form, sign-out confirmation, errors. Self-contained
// (no scripts, no external styles) and served with a strict content security policy.
const escape = (value) => String(value ?? '')
  .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  .replace(/"/g, '&quot;').replace(/'/g, '&#39;');

const STYLE = `body{font-family:system-ui,sans-serif;background:#f4f6f8;margin:0;padding:48px 16px}
main{max-width:340px;margin:0 auto;background:#fff;border-radius:8px;padding:24px 28px;
box-shadow:0 1px 4px rgba(0,0,0,.15)}h1{font-size:1.3em;margin:0 0 16px}label{display:block;
margin:12px 0 4px}input{width:100%;box-sizing:border-box;padding:8px;font-size:1em}
button{margin-top:16px;width:100%;padding:10px;font-size:1em;background:#0b5cad;color:#fff;
border:0;border-radius:4px;cursor:pointer}.secondary{background:#e6e9ed;color:#222}
.error{color:#b00020;margin:8px 0}.note{color:#555;font-size:.9em}`;

export const SECURITY_HEADERS = {
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'",
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

export function page(title, body) {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title><style>${STYLE}</style></head>
<body><main><h1>${escape(title)}</h1>${body}</main></body></html>`;
}

export function loginPage({ uid, login = '', error, stepUp = false }) {
  const note = stepUp
    ? '<p class="note">Please confirm it is you: enter your password again.</p>'
    : '';
  return page('Sign in to your bank', `${note}
${error ? `<p class="error" role="alert">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}/login" autocomplete="off">
<label for="login">Login</label>
<input id="login" name="login" value="${escape(login)}" required autofocus autocapitalize="none">
<label for="password">Password</label>
<input id="password" name="password" type="password" required autocomplete="current-password">
<button type="submit">Sign in</button>
</form>
<form method="post" action="/interaction/${escape(uid)}/abort"><button class="secondary" type="submit">Cancel</button></form>`);
}

export function errorPage(out) {
  const description = out?.error_description || 'The request could not be completed.';
  return page('Something went wrong', `<p>${escape(description)}</p>
<p class="note">${escape(out?.error ?? '')}</p>`);
}

export function logoutPage(form, host) {
  return page('Sign out', `<p>Do you want to sign out of ${escape(host)}?</p>${form}
<button type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>
<button class="secondary" type="submit" form="op.logoutForm">No, stay signed in</button>`);
}

export function loggedOutPage() {
  return page('Signed out', '<p>You are signed out.</p>');
}
