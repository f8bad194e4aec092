// The choices a waiting customer is offered in a queued notice ({"system": {"choices": [...]}}):
// "Book a callback" opens a slot picker with a consent tick-box (no phone number is asked: we
// call the number the bank holds), "Leave a message" tells the handoff the customer left one,
// "Back to the assistant" leaves the queue. Each goes to the API with the conversation's token;
// what the customer is told then arrives in the transcript.
const rows = new Map(); // seq of the notice -> the choices' root, kept across re-renders

function element(tag, className, text) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

function slotPicker(chat, status, done) {
  const form = element("form", "callback-picker");
  form.setAttribute("aria-label", "Book a callback");
  const label = element("label", "callback-picker__label", "When should we call you?");
  const select = element("select", "callback-picker__slots");
  select.name = "slot_start";
  select.required = true;
  label.appendChild(select);
  const consent = element("label", "callback-picker__consent");
  const tick = element("input");
  tick.type = "checkbox";
  tick.name = "consent_to_call";
  consent.append(tick, " Yes, call me on the phone number you hold for me.");
  const submit = element("button", "", "Book this callback");
  submit.type = "submit";
  form.append(label, consent, submit);
  chat.api(`/v1/conversations/${chat.conversationId()}/callback-slots`).then((offered) => {
    if (!offered.slots.length) status.textContent = "There are no callback slots left in the next few days.";
    for (const slot of offered.slots) select.appendChild(Object.assign(element("option", "", slot.label), { value: slot.start }));
  }).catch((error) => { status.textContent = error.message; });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!tick.checked) {
      status.textContent = "Please tick the box so that we may call you.";
      return;
    }
    submit.disabled = true;
    try {
      const booked = await chat.api(`/v1/conversations/${chat.conversationId()}/callbacks`, {
        method: "POST", body: { slot_start: select.value, consent_to_call: true },
      });
      status.textContent = `Booked: we'll call you on ${booked.label}.`;
      form.hidden = true;
      done();
    } catch (error) {
      status.textContent = error.message;
      submit.disabled = false;
    }
  });
  return form;
}

// chat: {api, conversationId}: what the choices need of the chat page.
export function callbackChoices(custom, seq, chat) {
  const system = custom && custom.system;
  if (!system || !Array.isArray(system.choices) || !system.choices.some((c) => c && c.id)) return null;
  if (rows.has(seq)) return rows.get(seq);
  const root = element("div", "callback-choices");
  const status = element("p", "callback-choices__status");
  status.setAttribute("role", "status");
  const buttons = element("div", "callback-choices__buttons");
  const done = () => buttons.querySelectorAll("button").forEach((b) => (b.disabled = true));
  const actions = {
    callback: () => {
      if (!root.querySelector("form")) root.insertBefore(slotPicker(chat, status, done), status);
    },
    message: async () => {
      await chat.api(`/v1/conversations/${chat.conversationId()}/handoff/message-left`, { method: "POST" });
      done();
    },
    assistant: async () => {
      await chat.api(`/v1/conversations/${chat.conversationId()}/handoff/cancel`, { method: "POST" });
      done();
    },
  };
  for (const choice of system.choices) {
    if (!actions[choice.id]) continue;
    const el = element("button", "", String(choice.title));
    el.type = "button";
    el.dataset.choice = choice.id;
    el.addEventListener("click", async () => {
      try {
        await actions[choice.id]();
      } catch (error) {
        status.textContent = error.status === 409 ? "You're not waiting for a colleague any more." : error.message;
      }
    });
    buttons.appendChild(el);
  }
  root.append(buttons, status);
  rows.set(seq, root);
  return root;
}
