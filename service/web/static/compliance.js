// Compliance review: sign in, search transcripts, read one with its placeholders highlighted,
// reveal one original with a stated reason (audited), export JSONL or HTML, and see whether
// the audit log's hash chain is intact.
(() => {
  const { $, el, notice, anyOf } = StaffPage;
  let current = null; // the open transcript
  let pending = null; // the placeholder being revealed

  function pairs(dl, entries) {
    dl.replaceChildren(...entries.flatMap(([k, v]) => [el("dt", k), el("dd", v)]));
  }

  // --- sign in ------------------------------------------------------------------------
  const staff = StaffPage({
    tokenKey: "banking-assistant.compliance-token",
    view: "review-view",
    roles: ["compliance"],
    refusal: "Compliance review needs the compliance role.",
    onSignedIn: async () => {
      anyOf("entity-type", await api("/v1/compliance/entity-types"));
      await checkChain();
      await search();
    },
  });
  const { request, api } = staff;

  async function checkChain() {
    const status = await api("/v1/compliance/audit/verify");
    const badge = $("chain-state");
    badge.textContent = status.valid ? `audit: intact (${status.entries})`
      : `audit: BROKEN at #${status.first_broken_sequence}`;
    badge.className = `badge ${status.valid ? "badge--ok" : "badge--broken"}`;
  }

  // --- search -------------------------------------------------------------------------
  function filters() {
    const params = new URLSearchParams();
    if ($("since").value) params.set("since", `${$("since").value}T00:00:00Z`);
    if ($("until").value) params.set("until", `${$("until").value}T00:00:00Z`);
    if ($("customer").value.trim()) params.set("customer_id", $("customer").value.trim());
    if ($("intent").value.trim()) params.set("intent", $("intent").value.trim());
    if ($("escalated").value) params.set("escalated", $("escalated").value);
    if ($("entity-type").value) params.set("entity_type", $("entity-type").value);
    return params;
  }

  async function search() {
    const params = filters();
    params.set("limit", "100");
    const found = await api(`/v1/compliance/transcripts?${params}`);
    $("result-count").textContent = `${found.total} transcript(s)`;
    $("results").replaceChildren(...found.results.map((t) => {
      const item = el("li", null, "result");
      item.dataset.conversationId = t.id;
      item.tabIndex = 0;
      item.append(el("strong", `${t.customer_id || "not signed in"} · ${t.channel}`));
      item.append(el("p", `${new Date(t.created_at).toLocaleString()} · ${t.messages} messages`));
      const facts = [
        t.escalated ? `handed off (${t.handoff_reasons.join(", ")})` : "",
        t.entity_types.length ? `data: ${t.entity_types.join(", ")}` : "",
        t.intents.length ? `intents: ${t.intents.slice(0, 4).join(", ")}` : "",
      ].filter(Boolean);
      if (facts.length) item.append(el("p", facts.join(" · ")));
      item.addEventListener("click", () => open(t.id));
      item.addEventListener("keydown", (e) => { if (e.key === "Enter") open(t.id); });
      return item;
    }));
    if (current && !found.results.some((t) => t.id === current.id)) $("transcript").hidden = true;
  }

  $("search-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    try { await search(); } catch (error) { notice(error.message); }
  });

  // --- one transcript -----------------------------------------------------------------
  function messageBody(message) {
    const body = el("span", null, "msg__text");
    const text = message.text || "";
    let cursor = 0;
    for (const span of message.entities) {
      body.append(document.createTextNode(text.slice(cursor, span.start)));
      const mark = el("button", span.placeholder, `entity entity--${span.entity_type}`);
      mark.type = "button";
      mark.dataset.placeholder = span.placeholder;
      mark.dataset.entityType = span.entity_type;
      mark.title = span.revealable ? `${span.entity_type}: select to reveal (audited)` : "nothing vaulted";
      mark.disabled = !span.revealable;
      mark.addEventListener("click", () => askReveal(span.placeholder));
      body.append(mark);
      cursor = span.end;
    }
    body.append(document.createTextNode(text.slice(cursor)));
    return body;
  }

  async function open(conversationId) {
    try {
      current = await api(`/v1/compliance/transcripts/${encodeURIComponent(conversationId)}`);
    } catch (error) {
      return notice(error.message);
    }
    for (const item of $("results").children) {
      item.setAttribute("aria-current", String(item.dataset.conversationId === conversationId));
    }
    $("transcript").hidden = false;
    $("transcript").dataset.conversationId = current.id;
    $("transcript-title").textContent = `Conversation ${current.id}`;
    pairs($("transcript-facts"), [
      ["Customer", current.customer_id || "not signed in"],
      ["Channel", current.channel],
      ["Started", new Date(current.created_at).toLocaleString()],
      ["Handed off", current.handoffs.map((h) => `${h.reason} (${h.status})`).join(", ") || "no"],
      ["Intents", current.intents.join(", ") || "-"],
      ["Personal data held", current.entity_types.join(", ") || "none"],
    ]);
    $("transcript-log").replaceChildren(...current.messages.map((m) => {
      const item = el("li", null, `msg msg--${m.sender}`);
      item.dataset.seq = m.seq;
      const who = m.sender === "agent" && m.agent ? `agent (${m.agent})` : m.sender;
      item.append(el("span", `#${m.seq} · ${who}${m.intent ? ` · ${m.intent}` : ""}`, "msg__meta"));
      item.append(messageBody(m));
      return item;
    }));
    await checkChain();
  }

  // --- reveal -------------------------------------------------------------------------
  function askReveal(placeholder) {
    pending = placeholder;
    $("reveal-placeholder").textContent = placeholder;
    $("reveal-reason").value = "";
    $("reveal-error").hidden = true;
    $("reveal-dialog").showModal();
  }

  $("reveal-cancel").addEventListener("click", () => $("reveal-dialog").close());

  $("reveal-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const revealed = await api(`/v1/compliance/transcripts/${encodeURIComponent(current.id)}/reveal`, {
        method: "POST", body: JSON.stringify({ placeholder: pending, reason: $("reveal-reason").value }),
      });
      for (const mark of $("transcript-log").querySelectorAll(".entity")) {
        if (mark.dataset.placeholder !== revealed.placeholder) continue;
        mark.textContent = revealed.value;
        mark.classList.add("entity--revealed");
        mark.title = `${revealed.placeholder}, revealed (audit entry #${revealed.audit_sequence})`;
      }
      $("reveal-dialog").close();
      await checkChain();
    } catch (error) {
      $("reveal-error").textContent = error.message;
      $("reveal-error").hidden = false;
    }
  });

  // --- export -------------------------------------------------------------------------
  async function download(path) {
    try {
      const response = await request(path);
      const name = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") || "")?.[1] || "export";
      const link = el("a");
      link.href = URL.createObjectURL(await response.blob());
      link.download = name;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
      await checkChain();
    } catch (error) {
      notice(error.message);
    }
  }

  for (const format of ["jsonl", "html"]) {
    $(`export-${format}`).addEventListener("click", () =>
      download(`/v1/compliance/transcripts/${encodeURIComponent(current.id)}/export?format=${format}`));
    $(`export-search-${format}`).addEventListener("click", () => {
      const params = filters();
      params.set("format", format);
      download(`/v1/compliance/export?${params}`);
    });
  }

  staff.start();
})();
