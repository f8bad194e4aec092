// A bot reply with {"type": "spending_chart", ...}: spending by category as horizontal bars
// (SVG), each with a tick at the customer's usual amount when there is one. The reply's text
// says the same in words; the figure's accessible name is the chart's title, and a table of
// the figures follows for screen readers.
const SVG = "http://www.w3.org/2000/svg";
const WIDTH = 320;
const LABEL_WIDTH = 96;
const BAR_HEIGHT = 18;
const GAP = 8;

function svgElement(name, attributes) {
  const el = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) el.setAttribute(key, String(value));
  return el;
}

function pounds(value) {
  return "£" + Number(value).toLocaleString("en-GB", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

export function spendingChart(custom) {
  if (!custom || custom.type !== "spending_chart" || !Array.isArray(custom.bars) || !custom.bars.length) return null;
  const bars = custom.bars.filter((bar) => bar && typeof bar.label === "string" && Number.isFinite(Number(bar.amount)));
  if (!bars.length) return null;
  const largest = Math.max(...bars.map((bar) => Math.max(Number(bar.amount), Number(bar.usual || 0))), 1);
  const plot = WIDTH - LABEL_WIDTH - 70;
  const height = bars.length * (BAR_HEIGHT + GAP);
  const figure = document.createElement("figure");
  figure.className = "spending-chart";
  const caption = document.createElement("figcaption");
  caption.textContent = custom.title || "Spending";
  figure.appendChild(caption);
  const svg = svgElement("svg", { viewBox: `0 0 ${WIDTH} ${height}`, width: WIDTH, height, role: "img" });
  svg.setAttribute("aria-label", caption.textContent);
  bars.forEach((bar, index) => {
    const y = index * (BAR_HEIGHT + GAP);
    const amount = Number(bar.amount);
    const group = svgElement("g", { class: "spending-chart__bar", "data-category": bar.category || "" });
    const label = svgElement("text", { x: 0, y: y + BAR_HEIGHT - 5, class: "spending-chart__label" });
    label.textContent = bar.label;
    const width = Math.max(1, Math.round((Math.max(amount, 0) / largest) * plot));
    const rect = svgElement("rect", { x: LABEL_WIDTH, y, width, height: BAR_HEIGHT, class: "spending-chart__amount" });
    const title = svgElement("title", {});
    title.textContent = `${bar.label}: ${pounds(amount)}` + (bar.usual != null ? `, usually ${pounds(bar.usual)}` : "");
    rect.appendChild(title);
    const value = svgElement("text", { x: LABEL_WIDTH + width + 4, y: y + BAR_HEIGHT - 5, class: "spending-chart__value" });
    value.textContent = pounds(amount);
    group.append(label, rect, value);
    if (bar.usual != null && Number.isFinite(Number(bar.usual))) {
      const x = LABEL_WIDTH + Math.round((Number(bar.usual) / largest) * plot);
      group.appendChild(svgElement("line", { x1: x, x2: x, y1: y - 2, y2: y + BAR_HEIGHT + 2, class: "spending-chart__usual" }));
    }
    svg.appendChild(group);
  });
  figure.appendChild(svg);
  if (bars.some((bar) => bar.usual != null)) {
    const key = document.createElement("p");
    key.className = "spending-chart__key";
    key.textContent = "The line on each bar marks your usual amount.";
    figure.appendChild(key);
  }
  const table = document.createElement("table");
  table.className = "visually-hidden";
  const head = table.createTHead().insertRow();
  for (const name of ["Category", "Spent", "Usually"]) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = name;
    head.appendChild(th);
  }
  const body = table.createTBody();
  for (const bar of bars) {
    const row = body.insertRow();
    row.insertCell().textContent = bar.label;
    row.insertCell().textContent = pounds(bar.amount);
    row.insertCell().textContent = bar.usual != null ? pounds(bar.usual) : "";
  }
  figure.appendChild(table);
  return figure;
}
