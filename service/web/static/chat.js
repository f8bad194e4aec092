// Web chat: one conversation per browser tab (its id and token in sessionStorage), anonymous
// until the customer signs in through the bank's provider. The access token stays in memory;
// the conversation keeps going across the redirect to the provider and back. Messages come from
// the transcript and the live WebSocket, keyed by their sequence number so nothing shows twice.
import { OidcClient, isRedirectBack } from "/static/oidc.js";

const STORAGE_KEY = "banking-assistant.conversation";
const log = document.getElementById("log");
const notice = document.getElementById("notice");
const input = document.getElementById("text");
const account = document.getElementById("account");
const signInButton = document.getElementById("sign-in");
const signOutButton = document.getElementById("sign-out");
const shown = new Map(); // seq -> <li>
let conversation = JSON.parse(sessionStorage.getItem(STORAGE_KEY) || "null");
let login = null; // {accessToken, idToken, expiresAt}: memory only
let oidc = null;
let socket = null;

localStorage.removeItem(STORAGE_KEY); // conversation tokens live in this tab only, never in localStorage

function showNotice(text) {
  notice.textContent = text || "";
  notice.hidden = !text;
}

function signedIn() {
  return Boolean(conversation && conversation.signed_in);
}

function showAccount() {
  account.textContent = signedIn() ? "Signed in" : "Not signed in";
  signInButton.hidden = signedIn();
  signOutButton.hidden = !signedIn();
}

function keep(started) {
  conversation = started;
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify({
    id: started.id, token: started.token, channel: started.channel, signed_in: started.signed_in,
  }));
  showAccount();
}

function forget() {
  conversation = null;
  login = null;
  sessionStorage.removeItem(STORAGE_KEY);
  if (socket) socket.close();
  shown.clear();
  log.innerHTML = "";
}

// A bot reply asking the customer to sign in, or to confirm it's them before a sensitive action.
function authPrompt(custom) {
  if (!custom || !["sign_in_required", "step_up_required"].includes(custom.type)) return null;
  const button = document.createElement("button");
  button.type = "button";
  button.className = "msg__sign-in";
  button.dataset.kind = custom.type;
  if (custom.type === "sign_in_required") {
    button.textContent = "Sign in";
    button.addEventListener("click", () => signIn());
  } else {
    button.textContent = "Confirm it's you";
    button.addEventListener("click", () => signIn({ maxAge: custom.max_age, acrValues: custom.acr_values, prompt: "login" }));
  }
  return button;
}

function render(message) {
  let item = shown.get(message.seq);
  if (!item) {
    item = document.createElement("li");
    shown.set(message.seq, item);
    const later = [...shown.keys()].filter((seq) => seq > message.seq).sort((a, b) => a - b);
    if (later.length) log.insertBefore(item, shown.get(later[0])); else log.appendChild(item);
  }
  item.className = `msg msg--${message.sender}` + (message.status === "pending" ? " msg--pending" : "")
    + (message.custom && message.custom.system ? " msg--system" : ""); // handoff notices
  item.dataset.seq = message.seq;
  item.textContent = message.text || "";
  const prompt = message.sender === "bot" ? authPrompt(message.custom) : null;
  const buttons = message.buttons || [];
  if (buttons.length || prompt) {
    const row = document.createElement("div");
    row.className = "msg__buttons";
    for (const button of buttons) {
      const el = document.createElement("button");
      el.type = "button";
      el.textContent = button.title;
      el.addEventListener("click", () => send(button.title, button.payload));
      row.appendChild(el);
    }
    if (prompt) row.appendChild(prompt);
    item.appendChild(row);
  }
  // A custom-only payload (e.g. the bot's {"handoff": ...} flag) has nothing to show.
  item.hidden = !message.text && !buttons.length && !prompt;
  if (message.sender === "user") {
    for (const [seq, li] of shown) {
      if (seq < message.seq) li.querySelectorAll(".msg__buttons button").forEach((b) => (b.disabled = true));
    }
  }
  log.scrollTop = log.scrollHeight;
}

async function api(path, { method = "GET", body, bearer } = {}) {
  const headers = { "Content-Type": "application/json" };
  const token = bearer || (conversation && conversation.token);
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw Object.assign(new Error(data.error?.message || response.statusText), { status: response.status, body: data });
  return data;
}

// A new conversation: signed in when an access token is in hand, anonymous otherwise.
async function start() {
  if (socket) socket.close();
  conversation = null;
  const accessToken = login && login.expiresAt > Date.now() ? login.accessToken : undefined;
  try {
    keep(await api("/v1/conversations", { method: "POST", body: { channel: "web" }, bearer: accessToken }));
  } catch (error) {
    if (!accessToken || error.status !== 401) throw error;
    login = null; // the login was not accepted: carry on anonymously
    showNotice(error.message);
    keep(await api("/v1/conversations", { method: "POST", body: { channel: "web" } }));
  }
  shown.clear();
  log.innerHTML = "";
  connect();
}

// The stored conversation's transcript; false when it is gone (expired, revoked, unknown).
async function restore() {
  try {
    const transcript = await api(`/v1/conversations/${conversation.id}`);
    const signedInNow = typeof transcript.signed_in === "boolean" ? transcript.signed_in : Boolean(transcript.customer_id);
    keep({ ...conversation, signed_in: signedInNow });
    transcript.messages.forEach(render);
    connect();
    return true;
  } catch (error) {
    if ([401, 403, 404].includes(error.status)) {
      forget();
      return false;
    }
    throw error;
  }
}

function connect() {
  if (socket) socket.close();
  const after = Math.max(0, ...shown.keys());
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const current = new WebSocket(`${scheme}://${location.host}/v1/conversations/${conversation.id}/ws?token=${encodeURIComponent(conversation.token)}&after=${after}`);
  socket = current;
  current.onmessage = (event) => {
    const data = JSON.parse(event.data);
    if (data.type === "message") {
      render(data.message);
      if (data.message.sender !== "user") showNotice("");
    }
  };
  current.onclose = () => setTimeout(() => {
    if (conversation && socket === current) connect();
  }, 2000);
}

async function send(text, payload) {
  if (!conversation) await start();
  const clientId = crypto.randomUUID ? crypto.randomUUID().replace(/-/g, "") : String(Date.now());
  try {
    const turn = await api(`/v1/conversations/${conversation.id}/messages`, {
      method: "POST", body: { text, payload: payload || null, client_message_id: clientId },
    });
    render(turn.message);
    turn.replies.forEach(render);
    showNotice("");
  } catch (error) {
    if (error.status === 503) {
      const seq = error.body.error?.details?.message_seq;
      if (seq) render({ seq, sender: "user", text, status: "pending" });
    }
    showNotice(error.message);
  }
}

async function provider() {
  if (!oidc) oidc = new OidcClient(await api("/web/config"));
  return oidc;
}

// To the provider's login page; the conversation waits in sessionStorage.
async function signIn(options) {
  try {
    await (await provider()).signIn(options);
  } catch (error) {
    showNotice(error.message);
  }
}

// Attaches the fresh login to this conversation; the bot answers what was waiting for it.
async function attachLogin() {
  try {
    const result = await api(`/v1/conversations/${conversation.id}/sign-in`, {
      method: "POST", body: { access_token: login.accessToken },
    });
    keep({ ...conversation, signed_in: result.signed_in });
    log.querySelectorAll("button.msg__sign-in").forEach((b) => (b.disabled = true));
    if (result.message) render(result.message);
    (result.replies || []).forEach(render);
    showNotice("");
  } catch (error) {
    const code = error.body?.error?.code;
    const pendingSeq = error.body?.error?.details?.message_seq;
    if (error.status === 403) { // a conversation of another customer
      showNotice("This chat belongs to someone else, so a new one has started.");
      await start();
    } else if (error.status === 503 && code !== "identity_provider_unavailable" && pendingSeq) {
      // Signed in; the bot answers as soon as it is back (on the WebSocket).
      keep({ ...conversation, signed_in: true });
      render({ seq: pendingSeq, sender: "user", text: "Signed in", status: "pending" });
      showNotice(error.message);
    } else {
      throw error;
    }
  }
}

async function signOut() {
  const idToken = login && login.idToken;
  try {
    if (conversation) await api(`/v1/conversations/${conversation.id}/sign-out`, { method: "POST" });
  } catch (error) {
    if (![401, 403, 404].includes(error.status)) {
      showNotice(error.message);
      return;
    }
  }
  forget();
  showAccount();
  if (!(await (await provider()).signOut(idToken))) await start();
}

async function open() {
  if (isRedirectBack()) {
    try {
      login = await (await provider()).completeSignIn();
    } catch (error) {
      showNotice(error.message);
    }
  }
  if (conversation && !(await restore())) conversation = null;
  if (!conversation) {
    await start();
  } else if (login) {
    await attachLogin();
  }
  showAccount();
}

document.getElementById("send-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const text = input.value.trim();
  if (!text) return;
  input.value = "";
  send(text);
});
document.getElementById("new-chat").addEventListener("click", () => {
  start().catch((error) => showNotice(error.message));
});
signInButton.addEventListener("click", () => signIn());
signOutButton.addEventListener("click", () => signOut().catch((error) => showNotice(error.message)));

open().catch((error) => showNotice(error.message));
