// Agent console: sign in, watch the queue, claim a conversation, read its context packet,
// chat with the customer live (WebSocket), keep private notes, transfer, hand back or close;
// release or cancel the payments held for review, with a reason; mark booked callbacks called,
// not answered or cancelled.
// Messages are keyed by sequence number, so a message that arrives twice shows once.
(() => {
  const { $, el, notice } = StaffPage;
  const PRIORITY = { 1: "low", 2: "normal", 3: "high", 4: "urgent" };
  let me = null;
  let socket = null;
  let queue = [];
  let selected = null; // the selected handoff's packet
  const shown = new Map(); // seq -> <li> of the selected conversation

  // --- sign in ------------------------------------------------------------------------
  // Any signed-in colleague may watch; claiming and acting are for agents and admins.
  const staff = StaffPage({
    tokenKey: "banking-assistant.staff-token",
    view: "console-view",
    onSignedIn: async (who) => {
      me = who;
      if (who.role === "agent" || who.role === "admin") {
        $("my-status").value = (await api("/v1/agents/me")).availability;
      } else $("my-status").disabled = true;
      const colleagues = await api("/v1/agents/colleagues");
      fill($("transfer-to"), colleagues.filter((c) => c.staff.id !== me.id), (c) => {
        const option = el("option", `${c.staff.display_name}${c.online ? " (online)" : ""}`);
        option.value = c.staff.username;
        return option;
      });
      connect();
      if (SUPERVISES.includes(who.role)) watchOverview();
      if (DECIDES.includes(who.role)) watchHeld();
      if (CALLS_BACK.includes(who.role)) showCallbacks();
    },
    onSignedOut: () => {
      me = null;
      stopOverview();
      stopHeld();
      hideCallbacks();
      if (socket) { socket.onclose = null; socket.close(); socket = null; }
    },
  });
  const { api } = staff;

  // --- supervisor panel ---------------------------------------------------------------
  // Supervisors and admins see the queue by skill, each colleague's load and the waits past
  // the policy's limit for their priority (highlighted), refreshed every few seconds.
  const SUPERVISES = ["supervisor", "admin"];
  const OVERVIEW_EVERY_MS = 5000;
  let overviewTimer = null;

  function watchOverview() {
    clearTimeout(overviewTimer);
    $("supervisor").hidden = false;
    const tick = async () => {
      try {
        renderOverview(await api("/v1/agents/supervisor/overview"));
      } catch (error) {
        notice(error.message);
      }
      if (me) overviewTimer = setTimeout(tick, OVERVIEW_EVERY_MS);
    };
    tick();
  }

  function stopOverview() {
    clearTimeout(overviewTimer);
    overviewTimer = null;
    $("supervisor").hidden = true;
  }

  function row(cells, breached) {
    const tr = el("tr", null, breached ? "breached" : "");
    tr.append(...cells.map((c) => el("td", String(c))));
    return tr;
  }

  const minutes = (s) => (s < 60 ? `${Math.round(s)} s` : `${Math.round(s / 60)} min`);

  function renderOverview(o) {
    fill($("supervisor-skills"), o.skills, (s) => row(
      [s.skill.replaceAll("_", " "), s.queued, minutes(s.oldest_wait_s), minutes(s.p50_wait_s), s.breached],
      s.breached > 0));
    fill($("supervisor-colleagues"), o.colleagues, (c) => row(
      [c.staff.display_name, c.availability, c.skills.join(", ").replaceAll("_", " "),
        `${c.active_chats}/${c.max_chats}`], false));
    fill($("supervisor-breaches"), o.breached, (b) => row(
      [b.reason.replaceAll("_", " "), b.skill.replaceAll("_", " "), PRIORITY[b.priority] || b.priority,
        minutes(b.waited_s), minutes(b.breach_after_s)], true));
    $("supervisor-breached").textContent = `${o.breached.length} breached`;
    $("supervisor-breached").className = o.breached.length ? "badge badge--4" : "badge";
    $("supervisor-at").textContent = `updated ${new Date(o.at).toLocaleTimeString()}`;
  }

  // --- held payments ------------------------------------------------------------------
  // Agents and admins see the payments held by screening or a scam warning and release or
  // cancel each with a reason (required; the API redacts it and keeps it in the audit log).
  const DECIDES = ["agent", "admin"];
  const HELD_EVERY_MS = 10000;
  const DECISIONS = { release: ["Release", "released"], cancel: ["Cancel payment", "cancelled"] };
  let heldTimer = null;
  let pending = null; // { payment, action } while the reason form is open

  function watchHeld() {
    clearTimeout(heldTimer);
    $("held-payments").hidden = false;
    const tick = async () => {
      await loadHeld();
      if (me) heldTimer = setTimeout(tick, HELD_EVERY_MS);
    };
    tick();
  }

  function stopHeld() {
    clearTimeout(heldTimer);
    heldTimer = null;
    closeDecision();
    $("held-payments").hidden = true;
  }

  async function loadHeld() {
    try {
      renderHeld(await api("/v1/agents/payments/held"));
    } catch (error) {
      notice(error.message);
    }
  }

  const heldSince = (at) => new Date(at).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" });
  const money = (amount, currency) =>
    new Intl.NumberFormat("en-GB", { style: "currency", currency }).format(Number(amount));

  function heldRow(p) {
    const tr = el("tr");
    tr.dataset.paymentId = p.id;
    tr.append(el("td", money(p.amount, p.currency)), el("td", p.account_ending || "payee removed"),
      el("td", p.review_reason || "review"), el("td", heldSince(p.created_at)));
    const buttons = el("td");
    for (const [action, [label]] of Object.entries(DECISIONS)) {
      const button = el("button", label, action === "cancel" ? "danger" : "");
      button.type = "button";
      button.dataset.action = action;
      button.addEventListener("click", () => openDecision(p, action));
      buttons.append(button);
    }
    tr.append(buttons);
    return tr;
  }

  function renderHeld(payments) {
    fill($("held-list"), payments, heldRow);
    $("held-count").textContent = String(payments.length);
    $("held-table").hidden = payments.length === 0;
    $("held-empty").hidden = payments.length > 0;
    if (pending && !payments.some((p) => p.id === pending.payment.id)) closeDecision();
  }

  function openDecision(payment, action) {
    pending = { payment, action };
    const ending = payment.account_ending ? ` to account ending ${payment.account_ending}` : "";
    $("held-decision-title").textContent =
      `${DECISIONS[action][0]} ${money(payment.amount, payment.currency)}${ending}?`;
    $("held-confirm").className = action === "cancel" ? "danger" : "";
    $("held-reason").value = "";
    $("held-decision").hidden = false;
    $("held-reason").focus();
  }

  function closeDecision() {
    pending = null;
    $("held-decision").hidden = true;
  }

  $("held-back").addEventListener("click", closeDecision);
  $("held-decision").addEventListener("submit", async (event) => {
    event.preventDefault();
    const reason = $("held-reason").value.trim();
    if (!pending || reason.length < 3) return notice("Give a reason for the decision (3 characters or more).");
    const { payment, action } = pending;
    try {
      await api(`/v1/agents/payments/${encodeURIComponent(payment.id)}/${action}`,
        { method: "POST", body: JSON.stringify({ reason }) });
      closeDecision();
      notice(`Payment of ${money(payment.amount, payment.currency)} ${DECISIONS[action][1]}.`);
    } catch (error) {
      notice(error.message);
    }
    await loadHeld();
  });

  // --- callbacks ----------------------------------------------------------------------
  // Agents, supervisors and admins see the booked callbacks by slot (UK time) and mark each
  // called, not answered or cancelled; the list reloads after an action and whenever the
  // feed says the callbacks changed.
  const CALLS_BACK = ["agent", "supervisor", "admin"];
  const OUTCOMES = { // outcome -> [button, its class, what the notice says]
    called: ["Called", "", "called"], no_answer: ["No answer", "", "not answered"],
    cancelled: ["Cancel", "danger", "cancelled"],
  };
  const slotTime = new Intl.DateTimeFormat("en-GB", {
    timeZone: "Europe/London", weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit",
  });
  let callbacksAsked = 0; // only the latest answer fills the list

  function showCallbacks() {
    $("callbacks").hidden = false;
    loadCallbacks();
  }

  function hideCallbacks() {
    callbacksAsked++;
    $("callbacks").hidden = true;
    $("callbacks-list").replaceChildren();
  }

  async function loadCallbacks() {
    if (!me || !CALLS_BACK.includes(me.role)) return;
    const asked = ++callbacksAsked;
    try {
      const callbacks = await api("/v1/agents/callbacks");
      if (asked === callbacksAsked) renderCallbacks(callbacks);
    } catch (error) {
      notice(error.message);
    }
  }

  function callbackRow(c) {
    const tr = el("tr");
    tr.dataset.callbackId = c.id;
    tr.append(el("td", slotTime.format(new Date(c.slot_start))), el("td", c.reason_label || "—"),
      el("td", c.customer_id), el("td", c.status, "callbacks__status"));
    const buttons = el("td");
    for (const [outcome, [label, className]] of Object.entries(OUTCOMES)) {
      const button = el("button", label, className);
      button.type = "button";
      button.dataset.outcome = outcome;
      button.disabled = c.status !== "booked";
      button.addEventListener("click", () => completeCallback(c, outcome, buttons));
      buttons.append(button);
    }
    tr.append(buttons);
    return tr;
  }

  function renderCallbacks(callbacks) {
    fill($("callbacks-list"), callbacks, callbackRow);
    $("callbacks-count").textContent = String(callbacks.length);
    $("callbacks-table").hidden = callbacks.length === 0;
    $("callbacks-empty").hidden = callbacks.length > 0;
  }

  async function completeCallback(callback, outcome, buttons) {
    for (const button of buttons.querySelectorAll("button")) button.disabled = true;
    try {
      await api(`/v1/agents/callbacks/${encodeURIComponent(callback.id)}/complete`,
        { method: "POST", body: JSON.stringify({ outcome }) });
      notice(`Callback for ${slotTime.format(new Date(callback.slot_start))} marked ${OUTCOMES[outcome][2]}.`);
    } catch (error) {
      notice(error.message);
    }
    await loadCallbacks();
  }

  // Busy and away colleagues are offered no new conversations (and cannot claim one).
  $("my-status").addEventListener("change", async (event) => {
    try {
      await api("/v1/agents/me/status", { method: "PUT", body: JSON.stringify({ status: event.target.value }) });
    } catch (error) {
      notice(error.message);
    }
  });

  function fill(list, items, render) {
    list.replaceChildren(...items.map(render));
  }

  function pairs(dl, entries) {
    dl.replaceChildren(...entries.flatMap(([k, v]) => [el("dt", k), el("dd", typeof v === "object" ? JSON.stringify(v) : v)]));
  }

  // --- live feed ----------------------------------------------------------------------
  function connect() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    socket = new WebSocket(`${scheme}://${location.host}/v1/agents/ws?token=${encodeURIComponent(staff.token)}`);
    socket.onopen = () => { $("socket-state").textContent = "online"; $("socket-state").className = "badge badge--online"; };
    socket.onmessage = (event) => {
      const data = JSON.parse(event.data);
      if (data.type === "queue") renderQueue(data.handoffs);
      else if (data.type === "message") onMessage(data.conversation_id, data.message);
      else if (data.type === "callbacks") loadCallbacks();
      else if (data.type === "note" && selected && data.handoff_id === selected.handoff.id) refresh();
      else if (data.type === "transferred") notice(`${data.by.display_name} transferred a conversation to you.`);
      else if (data.type === "error") notice(data.error.message);
    };
    socket.onclose = (event) => {
      $("socket-state").textContent = "offline";
      $("socket-state").className = "badge";
      // 4401: this session was signed out (here or elsewhere) or the colleague disabled.
      if (event.code === 4401) return staff.signedOut();
      setTimeout(() => staff.token && (!socket || socket.readyState === WebSocket.CLOSED) && connect(), 2000);
    };
  }

  function onMessage(conversationId, message) {
    if (selected && selected.handoff.conversation_id === conversationId) renderMessage(message);
  }

  // --- queue --------------------------------------------------------------------------
  function queueItem(h) {
    const item = el("li", null, "queue__item");
    item.dataset.handoffId = h.id;
    item.dataset.conversationId = h.conversation_id;
    if (selected && selected.handoff.id === h.id) item.setAttribute("aria-current", "true");
    const head = el("div");
    head.append(el("span", PRIORITY[h.priority] || h.priority, `badge badge--${h.priority}`), " ",
      el("strong", h.reason_label), " ", el("span", h.customer_id || "not signed in"));
    if (h.message_left) head.append(" ", el("span", "message left", "badge badge--message"));
    item.append(head);
    const waited = Math.round(h.waiting_s / 60);
    const skill = (h.skill || "general").replaceAll("_", " ") + (h.open_to_all ? ", open to all" : "");
    const where = h.status === "queued" ? `#${h.position} · ${skill} · waiting ${waited} min` : `with ${h.assigned_to?.display_name}`;
    item.append(el("p", where, "queue__where"), el("p", h.summary));
    item.addEventListener("click", () => select(h.id));
    return item;
  }

  function renderQueue(handoffs) {
    queue = handoffs;
    const waiting = handoffs.filter((h) => h.status === "queued");
    const mine = handoffs.filter((h) => h.status === "assigned" && h.assigned_to?.id === me?.id);
    const others = handoffs.filter((h) => h.status === "assigned" && h.assigned_to?.id !== me?.id);
    fill($("queue"), waiting, queueItem);
    fill($("mine"), mine, queueItem);
    fill($("others"), others, queueItem);
    $("queue-count").textContent = String(waiting.length);
    if (me && (me.role === "agent" || me.role === "admin")) markOffers();
    if (selected) {
      const now = handoffs.find((h) => h.id === selected.handoff.id);
      if (now && (now.status !== selected.handoff.status || now.assigned_to?.id !== selected.handoff.assigned_to?.id)) refresh();
    }
  }

  // Marks the waiting conversations this colleague may take now (their skills, or waited past
  // the widening time; none while busy, away or at their limit).
  let offersAsked = 0; // only the latest answer marks the list
  async function markOffers() {
    const asked = ++offersAsked;
    try {
      const offered = new Set((await api("/v1/agents/offers")).map((h) => h.id));
      if (asked !== offersAsked) return;
      for (const item of $("queue").children) {
        const forMe = offered.has(item.dataset.handoffId);
        item.dataset.offered = String(forMe);
        item.classList.toggle("queue__item--offered", forMe);
      }
    } catch (error) {
      notice(error.message);
    }
  }

  // --- the selected conversation -------------------------------------------------------
  async function select(handoffId) {
    try {
      const packet = await api(`/v1/agents/handoffs/${handoffId}`);
      if (!selected || selected.handoff.id !== handoffId) { shown.clear(); $("chat-log").replaceChildren(); }
      selected = packet;
      renderPacket(packet);
      renderQueue(queue);
    } catch (error) {
      notice(error.message);
    }
  }

  function refresh() { if (selected) select(selected.handoff.id); }

  function renderMessage(message) {
    let item = shown.get(message.seq);
    if (!item) {
      item = el("li");
      shown.set(message.seq, item);
      const later = [...shown.keys()].filter((seq) => seq > message.seq).sort((a, b) => a - b);
      if (later.length) $("chat-log").insertBefore(item, shown.get(later[0])); else $("chat-log").appendChild(item);
    }
    const system = message.custom && message.custom.system;
    item.className = `msg msg--${message.sender}` + (system ? " msg--system" : "");
    item.dataset.seq = message.seq;
    const who = message.sender === "agent" ? (message.custom?.agent || "agent") : message.sender === "user" ? "customer" : "bot";
    item.replaceChildren(el("span", `${who} · #${message.seq}`, "msg__meta"), document.createTextNode(message.text || ""));
    if (!message.text && message.custom && !system) item.append(document.createTextNode(JSON.stringify(message.custom)));
    $("chat-log").scrollTop = $("chat-log").scrollHeight;
  }

  function renderPacket(p) {
    const h = p.handoff;
    $("work").hidden = false;
    $("chat-title").textContent = `${h.customer_id || "not signed in"} · ${h.channel}`;
    $("chat-status").textContent = h.status === "assigned" ? `with ${h.assigned_to?.display_name}` : h.status;
    $("packet-priority").textContent = PRIORITY[h.priority] || h.priority;
    $("packet-priority").className = `badge badge--${h.priority}`;
    $("packet-reason").textContent = h.reason_label;
    fill($("packet-triggers"), p.triggers, (t) => el("li", `${t.label}: ${t.detail}`));
    $("packet-summary").textContent = p.summary;
    pairs($("packet-goal"), [["form", p.goal.form || "none"], ...Object.entries(p.goal.collected),
      ["still needs", p.goal.missing.join(", ") || "nothing"]]);
    fill($("packet-intents"), p.intents, (i) => el("li", `${new Date(i.at).toLocaleTimeString()} ${i.intent || "?"} (${i.confidence.toFixed(2)})`));
    fill($("packet-sentiment"), p.sentiment || [], (s) => el("li", `${new Date(s.at).toLocaleTimeString()} ${s.label} (${s.negativity.toFixed(2)})`));
    if (!p.sentiment) $("packet-sentiment").replaceChildren(el("li", "no sentiment reported"));
    fill($("packet-recommendations"), p.recommendations, (r) => el("li", `${JSON.stringify(r.shown)} → ${r.answer || "no answer"}`));
    const profile = p.profile;
    pairs($("packet-profile"), profile ? [["name", profile.first_name], ["born", profile.birth_year],
      ["employment", profile.employment_status], ["credit band", profile.credit_band],
      ...profile.accounts.map((a) => [a.name, `${a.number} · ${a.currency} ${a.balance}`]),
      ...profile.cards.map((c) => [`card ${c.last4}`, c.status]),
      ...profile.goals.map((g) => [`goal ${g.goal_type}`, `${g.target_amount} in ${g.horizon_months} months`])] : [["profile", "unknown"]]);
    $("packet-segment").textContent = p.segment ? `Segment: ${p.segment.name}. ${p.segment.description || ""}` : "";
    fill($("notes"), p.notes, (n) => el("li", `${n.author?.display_name || "?"}: ${n.text}`));
    fill($("packet-events"), p.events, (e) => el("li", `${new Date(e.at).toLocaleTimeString()} ${e.kind}${e.actor ? " by " + e.actor.display_name : ""}${e.target ? " to " + e.target.display_name : ""}`));
    p.transcript.forEach(renderMessage);
    const open = h.status === "queued" || h.status === "assigned";
    const mine = h.status === "assigned" && h.assigned_to?.id === me.id;
    const canAct = me.role === "agent" || me.role === "admin";
    $("claim").disabled = !(canAct && h.status === "queued");
    $("reply-send").disabled = !mine;
    $("reply-text").disabled = !mine;
    $("transfer").disabled = !(canAct && open && (mine || me.role === "admin") && h.status === "assigned");
    $("resolve").disabled = !(canAct && open && (mine || me.role === "admin"));
    $("close").disabled = $("resolve").disabled;
    $("note-add").disabled = !(canAct);
  }

  async function act(path, body) {
    if (!selected) return;
    try {
      await api(`/v1/agents/handoffs/${selected.handoff.id}/${path}`, { method: "POST", body: JSON.stringify(body || {}) });
      notice("");
      await select(selected.handoff.id);
    } catch (error) {
      notice(error.message);
    }
  }

  $("claim").addEventListener("click", () => act("claim"));
  $("resolve").addEventListener("click", () => act("resolve"));
  $("close").addEventListener("click", () => act("close"));
  $("transfer").addEventListener("click", () => act("transfer", { to: $("transfer-to").value }));
  $("note-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = $("note-text").value.trim();
    if (!text) return;
    $("note-text").value = "";
    act("notes", { text });
  });
  $("reply-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = $("reply-text").value.trim();
    if (!text || !selected) return;
    $("reply-text").value = "";
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify({ type: "message", handoff_id: selected.handoff.id, text }));
      return;
    }
    try {
      renderMessage(await api(`/v1/agents/handoffs/${selected.handoff.id}/messages`, { method: "POST", body: JSON.stringify({ text }) }));
    } catch (error) {
      notice(error.message);
    }
  });

  staff.start();
})();
