// A system message with {"type": "unusual_activity", ...}: the payment the bank found unusual
// (date, amount, merchant, reasons) with "This was me" / "This wasn't me". The answer goes to
// the inbox API with the conversation's token, never into the chat; the card then shows the
// outcome (a card frozen and a fraud specialist on the way, or nothing more to do).
const SYMBOLS = { GBP: "£", EUR: "€", USD: "$" };
const cards = new Map(); // alert id -> the card's root, kept across re-renders

function element(tag, className, text) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

function money(amount, currency) {
  const value = Number(amount).toLocaleString("en-GB", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return SYMBOLS[currency] ? `${SYMBOLS[currency]}${value}` : `${currency || ""} ${value}`.trim();
}

function when(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  return date.toLocaleString("en-GB", { day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit" });
}

// chat: {api}: what the card needs of the chat page.
export function alertCard(custom, chat) {
  if (!custom || custom.type !== "unusual_activity" || typeof custom.alert_id !== "string") return null;
  if (cards.has(custom.alert_id)) return cards.get(custom.alert_id);
  const root = element("div", "alert-card");
  root.setAttribute("role", "group");
  root.setAttribute("aria-label", "Unusual payment");
  const facts = element("dl", "alert-card__facts");
  for (const [label, value] of [["Date", when(custom.date)], ["Amount", money(custom.amount, custom.currency)],
    ["Merchant", custom.merchant || ""]]) {
    facts.append(element("dt", "", label), element("dd", "", value));
  }
  root.appendChild(facts);
  if (Array.isArray(custom.reasons) && custom.reasons.length) {
    const reasons = element("ul", "alert-card__reasons");
    custom.reasons.forEach((reason) => reasons.appendChild(element("li", "", String(reason))));
    root.appendChild(reasons);
  }
  const actions = element("div", "alert-card__actions");
  const outcome = element("p", "alert-card__outcome");
  outcome.setAttribute("role", "status");
  outcome.hidden = true;
  const answer = async (value) => {
    actions.querySelectorAll("button").forEach((b) => (b.disabled = true));
    try {
      const result = await chat.api(`/v1/inbox/${encodeURIComponent(custom.alert_id)}/answer`,
        { method: "POST", body: { answer: value } });
      outcome.textContent = result.message;
      actions.hidden = true;
    } catch (error) {
      if (error.status === 409) {
        outcome.textContent = "You've already told us about this payment.";
        actions.hidden = true;
      } else {
        outcome.textContent = error.message || "Sorry, that didn't work. Please try again.";
        actions.querySelectorAll("button").forEach((b) => (b.disabled = false));
      }
    }
    outcome.hidden = false;
  };
  for (const [title, value, primary] of [["This was me", "was_me", false], ["This wasn't me", "not_me", true]]) {
    const button = element("button", primary ? "alert-card__danger" : "", title);
    button.type = "button";
    button.addEventListener("click", () => answer(value));
    actions.appendChild(button);
  }
  root.append(actions, outcome);
  cards.set(custom.alert_id, root);
  return root;
}
