// A bot reply with {"type": "transactions", ...}: a page of a transaction search as a table,
// the summary as its caption, money right-aligned.
export function transactionsTable(custom) {
  if (!custom || custom.type !== "transactions" || !Array.isArray(custom.rows) || !Array.isArray(custom.columns)) return null;
  const region = document.createElement("div");
  region.className = "msg__table";
  region.tabIndex = 0; // a wide table scrolls: keyboard users can reach it
  region.setAttribute("role", "region");
  const table = document.createElement("table");
  table.className = "txn-table";
  const caption = document.createElement("caption");
  const pages = custom.pages > 1 ? ` Page ${custom.page} of ${custom.pages}.` : "";
  caption.textContent = (custom.summary || "Transactions") + pages;
  table.appendChild(caption);
  region.setAttribute("aria-label", caption.textContent);
  const head = table.createTHead().insertRow();
  for (const column of custom.columns) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = column.label;
    if (column.align === "end") th.className = "txn-table__money";
    head.appendChild(th);
  }
  const body = table.createTBody();
  for (const row of custom.rows) {
    const tr = body.insertRow();
    for (const column of custom.columns) {
      const td = tr.insertCell();
      let value = row[column.key] == null ? "" : String(row[column.key]);
      if (column.key === "description" && row.pending) value += " (pending)";
      td.textContent = value;
      if (column.align === "end") td.className = "txn-table__money";
    }
  }
  region.appendChild(table);
  return region;
}

// A bot reply with {"type": "add_payee"}: a form for a new payee. What is typed goes straight
// to the payees API, never into the chat. When the login is not recent the API asks for a
// step-up: the typed details wait in this tab's sessionStorage across the redirect to the
// provider, are read back and removed as soon as the page loads again, and sent once more.
// The payee check's answer (the name on the account) is shown here only: it never reaches the
// transcript. A kept payee starts a payment through the bot with PAY_NEW_PAYEE.
