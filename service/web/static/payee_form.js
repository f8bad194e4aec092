// The add-payee form the bot's {"type": "add_payee"} reply opens in the web chat: the account
// details go to the payees API (never into the chat), a step-up keeps what was typed, and the
// payee check's answer (match, close match, no match, unavailable) is shown with what to do.

export const PENDING_PAYEE_KEY = "banking-assistant.pending-payee"; // a payee form waiting for a step-up
// What the page says for the customer once a new payee is kept, so that the bot starts a payment:
// a pay_payee training example (the model reads "I want to pay my new payee" as add_payee).
export const PAY_NEW_PAYEE = "Pay one of my payees";

const FIELD_LABELS = {
  name: "Name on the account", sort_code: "Sort code", account_number: "Account number",
  business: "This is a business account", display_name: "Nickname (optional)",
};
const FIELD_FOR_ERROR = {
  invalid_payee_name: "name", invalid_sort_code: "sort_code", invalid_account_number: "account_number",
  duplicate_payee: "account_number", payment_to_self: "account_number",
};

function element(tag, className, text) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

function actionButton(title, onClick, primary = false) {
  const button = element("button", primary ? "payee-form__primary" : "", title);
  button.type = "button";
  button.addEventListener("click", onClick);
  return button;
}

export class PayeeForm {
  // chat: {api, send, authPrompt, conversationId}: what the form needs of the chat page.
  constructor(seq, chat) {
    this.seq = seq;
    this.chat = chat;
    this.root = element("div", "payee-form");
    this.form = element("form");
    this.form.setAttribute("aria-label", "New payee");
    this.inputs = {};
    for (const name of ["name", "sort_code", "account_number", "business", "display_name"]) {
      this.form.appendChild(this.field(name));
    }
    this.error = element("p", "payee-form__error");
    this.error.setAttribute("role", "alert");
    this.error.hidden = true;
    this.status = element("div", "payee-form__status");
    this.status.setAttribute("role", "status");
    this.status.hidden = true;
    this.submitButton = element("button", "payee-form__primary", "Add payee");
    this.submitButton.type = "submit";
    const actions = element("div", "payee-form__actions");
    actions.append(this.submitButton, actionButton("Cancel", () => this.cancel()));
    this.form.append(this.error, actions);
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.submit();
    });
    this.result = element("div", "payee-form__result");
    this.result.tabIndex = -1; // focus moves here when the check answers
    this.result.hidden = true;
    this.root.append(this.form, this.status, this.result);
  }

  field(name) {
    const id = `payee-${this.seq}-${name}`;
    const input = element("input");
    input.id = id;
    input.name = name;
    input.autocomplete = "off";
    this.inputs[name] = input;
    const label = element("label", "", FIELD_LABELS[name]);
    label.htmlFor = id;
    if (name === "business") {
      input.type = "checkbox";
      const row = element("div", "payee-form__field payee-form__field--check");
      row.append(input, label);
      return row;
    }
    input.type = "text";
    input.maxLength = name === "sort_code" || name === "account_number" ? 12 : 70;
    input.required = name !== "display_name";
    const row = element("div", "payee-form__field");
    row.append(label, input);
    if (name === "sort_code" || name === "account_number") {
      input.inputMode = "numeric";
      const hint = element("span", "payee-form__hint", name === "sort_code" ? "6 digits, like 40-11-62" : "8 digits");
      hint.id = `${id}-hint`;
      input.setAttribute("aria-describedby", hint.id);
      row.appendChild(hint);
    }
    return row;
  }

  values() {
    const value = (name) => this.inputs[name].value.trim();
    return {
      name: value("name"), sort_code: value("sort_code"), account_number: value("account_number"),
      business: this.inputs.business.checked, display_name: value("display_name"),
    };
  }

  fill(values) {
    for (const [name, input] of Object.entries(this.inputs)) {
      if (name === "business") input.checked = Boolean(values.business); else input.value = values[name] || "";
    }
  }

  busy(on) {
    this.form.querySelectorAll("input, button").forEach((el) => (el.disabled = on));
  }

  showError(message, field) {
    Object.values(this.inputs).forEach((input) => input.removeAttribute("aria-invalid"));
    this.error.textContent = message || "";
    this.error.hidden = !message;
    if (field && this.inputs[field]) {
      this.inputs[field].setAttribute("aria-invalid", "true");
      this.inputs[field].focus();
    }
  }

  // A short note under the form, with an optional control (the step-up button).
  showStatus(text, control) {
    this.status.replaceChildren();
    this.status.hidden = !text;
    if (!text) return;
    this.status.appendChild(element("p", "", text));
    if (control) this.status.appendChild(control);
  }

  async submit() {
    const values = this.values();
    this.showError("");
    this.showStatus("");
    this.busy(true);
    try {
      const added = await this.chat.api(`/v1/conversations/${this.chat.conversationId()}/payees`, {
        method: "POST",
        body: { ...values, display_name: values.display_name || undefined },
      });
      this.answer(added, values);
    } catch (error) {
      this.busy(false);
      if (this.askToStepUp(error, { action: "add", values }, "add this payee")) return;
      this.refused(error);
    }
  }

  // The API's 403 step_up_required: the sign-in button of a step-up, the request kept for after it.
  askToStepUp(error, pending, what) {
    if (error.status !== 403 || error.body?.error?.code !== "step_up_required") return false;
    const details = error.body.error.details || {};
    const button = this.chat.authPrompt(
      { type: "step_up_required", max_age: details.max_age, acr_values: details.acr_values },
      () => sessionStorage.setItem(PENDING_PAYEE_KEY, JSON.stringify({ conversation: this.chat.conversationId(), seq: this.seq, ...pending })),
    );
    this.showStatus(`Please confirm it's you to ${what}: sign in again. What you typed is kept.`, button);
    return true;
  }

  refused(error) {
    const body = error.body?.error;
    if (!error.status) {
      this.showError("We couldn't reach the bank just now. Please try again.");
    } else if (body?.code === "invalid_request" && Array.isArray(body.details?.problems)) {
      const problems = body.details.problems.map((p) => {
        const field = String(p.field || "").split(".").pop();
        return { field, text: `${FIELD_LABELS[field] || field}: ${p.problem}` };
      });
      this.showError([body.message, ...problems.map((p) => p.text)].join(" "), problems[0]?.field);
    } else {
      this.showError(body?.message || error.message, FIELD_FOR_ERROR[body?.code]);
    }
  }

  // What the payee check said about the added payee, and what the customer can do about it.
  answer(added, values) {
    this.added = added;
    this.typed = values;
    const check = added.check || { outcome: added.check_outcome };
    const onRecord = check.name_on_record;
    const lines = {
      match: `The name matches the account. ${added.display_name} is saved as a payee.`,
      close_match: `The account is in the name of ${onRecord}, not ${added.holder_name}. Did you mean ${onRecord}? `
        + `The payee is saved as you typed it: keep it if ${onRecord} is who you want to pay, or remove it.`,
      no_match: "Warning: the name doesn't match the account. It may not belong to who you think, and money "
        + "paid to the wrong person may not come back. We recommend you remove this payee and check the details with them.",
      unavailable: "We couldn't check the name with the other bank. Only keep this payee if you're sure the details are right.",
    };
    const texts = [lines[check.outcome] || lines.unavailable];
    if (check.business_mismatch) {
      texts.push(values.business ? "You said it's a business account, but it's a personal one."
        : "It's a business account, not a personal one.");
    }
    this.form.hidden = true;
    this.showStatus("");
    this.result.replaceChildren();
    this.result.dataset.outcome = check.outcome;
    this.result.setAttribute("role", check.outcome === "no_match" ? "alert" : "status");
    texts.forEach((text) => this.result.appendChild(element("p", "", text)));
    this.result.hidden = false;
    if (check.outcome === "match" && !check.business_mismatch) {
      this.kept();
      return;
    }
    const actions = element("div", "payee-form__actions");
    const keep = actionButton(check.outcome === "no_match" ? "Keep it anyway" : "Keep it", () => this.kept());
    const remove = actionButton("Remove it", () => this.remove(), check.outcome === "no_match");
    if (check.outcome === "no_match") actions.append(remove, keep); else actions.append(keep, remove);
    this.result.appendChild(actions);
    this.result.focus();
  }

  kept() {
    this.result.querySelectorAll("button").forEach((b) => (b.disabled = true));
    this.result.appendChild(element("p", "payee-form__done", `Kept: ${this.added.display_name} is one of your payees.`));
    this.chat.send(PAY_NEW_PAYEE);
  }

  async remove(payee = this.added) {
    this.result.querySelectorAll("button").forEach((b) => (b.disabled = true));
    try {
      await this.chat.api(`/v1/conversations/${this.chat.conversationId()}/payees/${encodeURIComponent(payee.id)}`, { method: "DELETE" });
    } catch (error) {
      if (error.status !== 404) { // 404: already gone
        this.result.querySelectorAll("button").forEach((b) => (b.disabled = false));
        if (this.askToStepUp(error, { action: "remove", payee: { id: payee.id, display_name: payee.display_name }, values: this.typed }, "remove this payee")) return;
        this.showStatus(error.body?.error?.message || "We couldn't remove the payee just now. Please try again.");
        return;
      }
    }
    this.result.hidden = true;
    this.form.hidden = false;
    this.busy(false);
    if (this.typed) this.fill(this.typed);
    this.showStatus(`Removed: ${payee.display_name} is not one of your payees. Check the details and add them again, or cancel.`);
    this.inputs.name.focus();
  }

  cancel() {
    this.fill({});
    this.form.hidden = true;
    this.showStatus("Cancelled: no payee added.");
  }

  // Back from the provider: carry on with what waited for the step-up.
  resume(pending, signedInAgain) {
    this.typed = pending.values;
    if (pending.values) this.fill(pending.values);
    if (!signedInAgain) {
      this.showStatus("You weren't signed in again, so nothing changed. What you typed is still here.");
      return;
    }
    if (pending.action === "remove" && pending.payee) {
      this.form.hidden = true;
      this.result.hidden = false;
      this.remove(pending.payee);
    } else {
      this.submit();
    }
  }
}
