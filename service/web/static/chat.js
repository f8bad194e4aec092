// Web chat: one conversation per browser tab (its id and token in sessionStorage), anonymous
// until the customer signs in through the bank's provider. The access token stays in memory;
// the conversation keeps going across the redirect to the provider and back. Messages come from
// the transcript and the live WebSocket, keyed by their sequence number so nothing shows twice.
import { alertCard } from "/static/alert_card.js";
import { callbackChoices } from "/static/callback_choices.js";
import { nudgeCard } from "/static/nudge_card.js";
import { OidcClient, isRedirectBack } from "/static/oidc.js";
import { PENDING_PAYEE_KEY, PayeeForm } from "/static/payee_form.js";
import { spendingChart } from "/static/spending_chart.js";
import { transactionsTable } from "/static/transactions_table.js";

const STORAGE_KEY = "banking-assistant.conversation";
const log = document.getElementById("log");
const notice = document.getElementById("notice");
const input = document.getElementById("text");
const account = document.getElementById("account");
const signInButton = document.getElementById("sign-in");
const signOutButton = document.getElementById("sign-out");
const queueLine = document.getElementById("queue");
const queuePlace = document.getElementById("queue-place");
const backToBot = document.getElementById("back-to-bot");
const QUEUE_LEFT = new Set(["claimed", "transferred", "resolved", "closed", "cancelled", "callback_booked"]); // system events
let queueSeq = 0; // seq of the latest system message the queue line follows
const shown = new Map(); // seq -> <li>
const renderedAs = new WeakMap(); // <li> -> what it shows, to skip rendering the same again
let conversation = JSON.parse(sessionStorage.getItem(STORAGE_KEY) || "null");
let login = null; // {accessToken, idToken, expiresAt}: memory only
let oidc = null;
let socket = null;
const payeeForms = new Map(); // seq of an add_payee reply -> PayeeForm
const payeeLabels = new Map(); // payee id -> the label its buttons show (names: the page only)
const labelled = new Set(); // seqs of the payees replies already fetched for
// What a payee form needs of this page (function declarations below are hoisted).
const payeeChat = { api, send, authPrompt, conversationId: () => conversation.id };
let waitingPayee = JSON.parse(sessionStorage.getItem(PENDING_PAYEE_KEY) || "null");
sessionStorage.removeItem(PENDING_PAYEE_KEY); // read once: it never outlives this page load

localStorage.removeItem(STORAGE_KEY); // conversation tokens live in this tab only, never in localStorage

function showNotice(text) {
  notice.textContent = text || "";
  notice.hidden = !text;
}

function waitWords(seconds) {
  const minutes = Math.round((seconds || 0) / 60);
  return minutes < 1 ? "under a minute" : `about ${minutes} minute${minutes === 1 ? "" : "s"}`;
}

// The customer's place in a colleague's queue: one line, updated in place; hidden once they
// are not waiting (a colleague joined, or they went back to the assistant).
function showQueue(position, waitS) {
  if (!position) {
    queueLine.hidden = true;
    return;
  }
  queuePlace.textContent = `You're number ${position} in the queue for a colleague (the wait is ${waitWords(waitS)}).`;
  queueLine.hidden = false;
}

// A handoff notice in the transcript moves the queue line (the latest one wins).
function followQueue(message) {
  const system = message.custom && message.custom.system;
  if (!system || message.seq < queueSeq) return;
  queueSeq = message.seq;
  if (system.event === "queued" || system.event === "waiting") showQueue(system.position, system.estimated_wait_s);
  else if (QUEUE_LEFT.has(system.event)) showQueue(null);
}

// The question after a colleague handed back: good / ok / poor, answered once through the API.
function ratingButtons(custom) {
  const system = custom && custom.system;
  if (!system || system.event !== "satisfaction" || !Array.isArray(system.choices)) return null;
  const row = document.createElement("div");
  row.className = "msg__rating";
  for (const choice of system.choices) {
    const el = document.createElement("button");
    el.type = "button";
    el.textContent = choice.title;
    el.dataset.rating = choice.value;
    el.addEventListener("click", async () => {
      row.querySelectorAll("button").forEach((b) => (b.disabled = true));
      try {
        const answer = await api(`/v1/conversations/${conversation.id}/handoff/satisfaction`, {
          method: "POST", body: { rating: choice.value },
        });
        render(answer.message);
      } catch (error) {
        if (error.status !== 409) row.querySelectorAll("button").forEach((b) => (b.disabled = false));
        showNotice(error.message);
      }
    });
    row.appendChild(el);
  }
  return row;
}

// "Back to the assistant": the customer leaves the queue; the bot answers the next message.
async function leaveQueue() {
  backToBot.disabled = true;
  try {
    const left = await api(`/v1/conversations/${conversation.id}/handoff/cancel`, { method: "POST" });
    render(left.message);
    showQueue(null);
  } catch (error) {
    if ([404, 409].includes(error.status)) showQueue(null);
    showNotice(error.message);
  } finally {
    backToBot.disabled = false;
  }
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
  sessionStorage.removeItem(PENDING_PAYEE_KEY);
  if (socket) socket.close();
  clearLog();
}

function clearLog() {
  shown.clear();
  payeeForms.clear();
  payeeLabels.clear();
  labelled.clear();
  log.innerHTML = "";
  queueSeq = 0;
  showQueue(null);
}

// A bot reply asking the customer to sign in, or to confirm it's them before a sensitive action;
// `beforeSignIn` runs just before the browser leaves for the provider.
function authPrompt(custom, beforeSignIn) {
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
    button.addEventListener("click", () => {
      if (beforeSignIn) beforeSignIn();
      signIn({ maxAge: custom.max_age, acrValues: custom.acr_values, prompt: "login" });
    });
  }
  return button;
}

function payeeForm(custom, seq) {
  if (!custom || custom.type !== "add_payee") return null;
  if (!payeeForms.has(seq)) payeeForms.set(seq, new PayeeForm(seq, payeeChat));
  return payeeForms.get(seq).root;
}

// The step-up a payee form waited for is done (or not): the form carries on.
function resumePayeeForm() {
  const pending = waitingPayee;
  waitingPayee = null;
  if (!pending || !conversation || pending.conversation !== conversation.id) return;
  const form = payeeForms.get(pending.seq) || [...payeeForms.values()].pop();
  if (form) form.resume(pending, Boolean(login) && signedIn());
}

// The payee id a button's payload carries (`/inform{"payee_id": "..."}`), if any.
function payeeIdOf(payload) {
  const match = /^\/\w+(\{.*\})$/s.exec(payload || "");
  if (!match) return null;
  try {
    const id = JSON.parse(match[1]).payee_id;
    return typeof id === "string" ? id : null;
  } catch {
    return null;
  }
}

function payeeLabel(payee) {
  const holder = payee.holder_name && payee.holder_name !== payee.display_name ? ` (${payee.holder_name})` : "";
  return `${payee.display_name}${holder} · ending ${String(payee.account_number).slice(-4)}`;
}

// A bot reply with {"type": "payees", ...}: the bot names payees by their account's ending;
// the buttons of the reply before it get the names from the payees API (on the page only).
// When the API can't be reached the buttons keep the bot's titles.
async function labelPayees(custom, seq) {
  if (!custom || custom.type !== "payees" || !Array.isArray(custom.payees) || labelled.has(seq)) return;
  labelled.add(seq);
  const ids = new Set(custom.payees.map((p) => p.id));
  let payees;
  try {
    payees = await api(`/v1/conversations/${conversation.id}/payees`);
  } catch {
    labelled.delete(seq);
    return;
  }
  payees.filter((p) => ids.has(p.id)).forEach((p) => payeeLabels.set(p.id, payeeLabel(p)));
  const earlier = [...shown.entries()].filter(([s]) => s < seq).sort((a, b) => b[0] - a[0]);
  for (const [, item] of earlier) {
    const buttons = [...item.querySelectorAll(".msg__buttons button[data-payee-id]")]
      .filter((b) => ids.has(b.dataset.payeeId));
    if (!buttons.length) continue;
    buttons.filter((b) => payeeLabels.has(b.dataset.payeeId))
      .forEach((b) => (b.textContent = payeeLabels.get(b.dataset.payeeId)));
    return;
  }
}

function render(message) {
  followQueue(message);
  let item = shown.get(message.seq);
  // The same message again (the turn's answer, then the WebSocket): left as it is, so that a
  // form in it keeps its focus.
  const key = JSON.stringify([message.sender, message.status, message.text, message.buttons, message.custom]);
  if (item && renderedAs.get(item) === key) return;
  if (!item) {
    item = document.createElement("li");
    shown.set(message.seq, item);
    const later = [...shown.keys()].filter((seq) => seq > message.seq).sort((a, b) => a - b);
    if (later.length) log.insertBefore(item, shown.get(later[0])); else log.appendChild(item);
  }
  item.className = `msg msg--${message.sender}` + (message.status === "pending" ? " msg--pending" : "")
    + (message.custom && message.custom.system ? " msg--system" : ""); // handoff notices
  item.dataset.seq = message.seq;
  renderedAs.set(item, key);
  item.textContent = message.text || "";
  const prompt = message.sender === "bot" ? authPrompt(message.custom) : null;
  const table = message.sender === "bot" ? transactionsTable(message.custom) : null;
  if (table) item.appendChild(table);
  const chart = message.sender === "bot" ? spendingChart(message.custom) : null;
  if (chart) item.appendChild(chart);
  const unusual = message.sender === "bot" ? alertCard(message.custom, { api }) : null; // alert_card.js
  if (unusual) item.appendChild(unusual);
  const nudge = message.sender === "bot" ? nudgeCard(message.custom, { api, send }) : null; if (nudge) item.appendChild(nudge); // nudge_card.js
  const choices = message.sender === "bot" ? callbackChoices(message.custom, message.seq, { api, conversationId: () => conversation.id }) : null; if (choices) item.appendChild(choices); // callback_choices.js
  const form = message.sender === "bot" ? payeeForm(message.custom, message.seq) : null;
  if (form) item.appendChild(form);
  const rating = message.sender === "bot" ? ratingButtons(message.custom) : null;
  if (rating) item.appendChild(rating);
  const buttons = message.buttons || [];
  if (buttons.length || prompt) {
    const row = document.createElement("div");
    row.className = "msg__buttons";
    for (const button of buttons) {
      const el = document.createElement("button");
      el.type = "button";
      el.textContent = button.title;
      const payeeId = payeeIdOf(button.payload);
      if (payeeId) {
        el.dataset.payeeId = payeeId;
        if (payeeLabels.has(payeeId)) el.textContent = payeeLabels.get(payeeId);
      }
      el.addEventListener("click", () => send(button.title, button.payload));
      row.appendChild(el);
    }
    if (prompt) row.appendChild(prompt);
    item.appendChild(row);
  }
  // A custom-only payload (e.g. the bot's {"handoff": ...} flag) has nothing to show.
  item.hidden = !message.text && !buttons.length && !prompt && !table && !chart && !form && !unusual;
  if (message.sender === "bot") labelPayees(message.custom, message.seq);
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
  clearLog();
  connect();
}

// The stored conversation's transcript; false when it is gone (expired, revoked, unknown).
async function restore() {
  try {
    const transcript = await api(`/v1/conversations/${conversation.id}`);
    const signedInNow = typeof transcript.signed_in === "boolean" ? transcript.signed_in : Boolean(transcript.customer_id);
    keep({ ...conversation, signed_in: signedInNow });
    transcript.messages.forEach(render);
    const handoff = transcript.handoff;
    showQueue(handoff && handoff.status === "queued" ? handoff.position : null, handoff && handoff.estimated_wait_s);
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
    } else if (data.type === "handoff") {
      // The queue moved: the customer's new place and estimated wait, in place.
      showQueue(data.handoff.status === "queued" ? data.handoff.position : null, data.handoff.estimated_wait_s);
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
    await attachLogin().finally(resumePayeeForm);
  }
  resumePayeeForm(); // no fresh login (the step-up was cancelled): the form keeps what was typed
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
backToBot.addEventListener("click", () => leaveQueue());
signOutButton.addEventListener("click", () => signOut().catch((error) => showNotice(error.message)));

open().catch((error) => showNotice(error.message));
