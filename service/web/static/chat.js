// Web chat: one conversation kept in localStorage, rendered from the transcript and the live
// WebSocket, every message keyed by its sequence number so nothing shows twice.
(() => {
  const STORAGE_KEY = "banking-assistant.conversation";
  const log = document.getElementById("log");
  const notice = document.getElementById("notice");
  const input = document.getElementById("text");
  const shown = new Map(); // seq -> <li>
  let conversation = JSON.parse(localStorage.getItem(STORAGE_KEY) || "null");
  let socket = null;

  function showNotice(text) {
    notice.textContent = text || "";
    notice.hidden = !text;
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
    // A custom-only payload (e.g. the bot's {"handoff": ...} flag) has nothing to show.
    item.hidden = !message.text && !(message.buttons && message.buttons.length);
    item.dataset.seq = message.seq;
    item.textContent = message.text || "";
    if (message.buttons && message.buttons.length) {
      const row = document.createElement("div");
      row.className = "msg__buttons";
      for (const button of message.buttons) {
        const el = document.createElement("button");
        el.type = "button";
        el.textContent = button.title;
        el.addEventListener("click", () => send(button.title, button.payload));
        row.appendChild(el);
      }
      item.appendChild(row);
    }
    if (message.sender === "user") {
      for (const [seq, li] of shown) {
        if (seq < message.seq) li.querySelectorAll(".msg__buttons button").forEach((b) => (b.disabled = true));
      }
    }
    log.scrollTop = log.scrollHeight;
  }

  async function api(path, options = {}) {
    const headers = { "Content-Type": "application/json" };
    if (conversation) headers.Authorization = `Bearer ${conversation.token}`;
    const response = await fetch(path, { ...options, headers });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) throw Object.assign(new Error(body.error?.message || response.statusText), { status: response.status, body });
    return body;
  }

  async function start(customerId) {
    conversation = await api("/v1/conversations", {
      method: "POST", body: JSON.stringify({ customer_id: customerId, channel: "web" }),
    });
    localStorage.setItem(STORAGE_KEY, JSON.stringify(conversation));
    shown.clear();
    log.innerHTML = "";
    connect();
  }

  async function restore() {
    try {
      const transcript = await api(`/v1/conversations/${conversation.id}`);
      transcript.messages.forEach(render);
      connect();
    } catch (error) {
      if ([401, 403, 404].includes(error.status)) {
        localStorage.removeItem(STORAGE_KEY);
        conversation = null;
        await start(document.getElementById("customer").value);
      } else {
        showNotice(error.message);
      }
    }
  }

  function connect() {
    if (socket) socket.close();
    const after = Math.max(0, ...shown.keys());
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    socket = new WebSocket(`${scheme}://${location.host}/v1/conversations/${conversation.id}/ws?token=${encodeURIComponent(conversation.token)}&after=${after}`);
    socket.onmessage = (event) => {
      const data = JSON.parse(event.data);
      if (data.type === "message") {
        render(data.message);
        if (data.message.sender !== "user") showNotice("");
      }
    };
    socket.onclose = () => setTimeout(() => conversation && socket.readyState === WebSocket.CLOSED && connect(), 2000);
  }

  async function send(text, payload) {
    if (!conversation) await start(document.getElementById("customer").value);
    const clientId = crypto.randomUUID ? crypto.randomUUID().replace(/-/g, "") : String(Date.now());
    try {
      const turn = await api(`/v1/conversations/${conversation.id}/messages`, {
        method: "POST", body: JSON.stringify({ text, payload: payload || null, client_message_id: clientId }),
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

  document.getElementById("send-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    send(text);
  });
  document.getElementById("start-form").addEventListener("submit", (event) => {
    event.preventDefault();
    start(document.getElementById("customer").value).catch((error) => showNotice(error.message));
  });

  if (conversation) restore(); else start(document.getElementById("customer").value).catch((e) => showNotice(e.message));
})();
