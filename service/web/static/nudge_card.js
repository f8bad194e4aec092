// A system message with {"type": "nudge", ...}: a nudge the bank sent first (its text is the
// message itself), with what its figures assume and one action button. The button tells the
// inbox API the customer acted (POST /v1/inbox/{id}/act with the conversation's token), then,
// when the action names an intent (e.g. {"type": "open_chat", "intent": "budget_status"}),
// asks the bot for it; otherwise the card simply acknowledges.
const cards = new Map(); // nudge id -> the card's root, kept across re-renders
const LABELS = { salary_arrived: "Check my budget", shortfall_before_bill: "Move money", idle_cash: "Tell me more" };
const INTENT = /^[a-z][a-z_]{0,63}$/;

function element(tag, className, text) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

// chat: {api, send}: what the card needs of the chat page.
export function nudgeCard(custom, chat) {
  if (!custom || custom.type !== "nudge" || typeof custom.nudge_id !== "string") return null;
  if (cards.has(custom.nudge_id)) return cards.get(custom.nudge_id);
  const root = element("div", "alert-card nudge-card");
  root.setAttribute("role", "group");
  root.setAttribute("aria-label", custom.title || "A suggestion from the bank");
  if (custom.title) root.appendChild(element("p", "nudge-card__title", String(custom.title)));
  if (Array.isArray(custom.assumptions) && custom.assumptions.length) {
    const assumptions = element("ul", "alert-card__reasons");
    custom.assumptions.forEach((text) => assumptions.appendChild(element("li", "", String(text))));
    root.appendChild(assumptions);
  }
  const action = custom.action && typeof custom.action === "object" ? custom.action : {};
  const intent = typeof action.intent === "string" && INTENT.test(action.intent) ? action.intent : null;
  const actions = element("div", "alert-card__actions");
  const outcome = element("p", "alert-card__outcome");
  outcome.setAttribute("role", "status");
  outcome.hidden = true;
  const button = element("button", "", LABELS[custom.kind] || "Show me");
  button.type = "button";
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      await chat.api(`/v1/inbox/${encodeURIComponent(custom.nudge_id)}/act`, { method: "POST" });
      actions.hidden = true;
      outcome.textContent = intent ? "" : "Thanks: we'll show you more in the app.";
      if (intent && chat.send) await chat.send(button.textContent, `/${intent}`);
    } catch (error) {
      if (error.status === 409) {
        actions.hidden = true;
        outcome.textContent = error.body?.error?.code === "nudge_expired"
          ? "This suggestion has expired." : "You've already acted on this.";
      } else {
        outcome.textContent = error.message || "Sorry, that didn't work. Please try again.";
        button.disabled = false;
      }
    }
    outcome.hidden = !outcome.textContent;
  });
  actions.appendChild(button);
  root.append(actions, outcome);
  cards.set(custom.nudge_id, root);
  return root;
}
