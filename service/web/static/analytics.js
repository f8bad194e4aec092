// Journey dashboard for analysts: aggregates only (the API suppresses groups under k).
// Plots are plain SVG drawn here; nothing is loaded from outside the service.
(() => {
  const SVG = "http://www.w3.org/2000/svg";
  const { $, el, notice, anyOf } = StaffPage;
  const pct = (v) => (v === null || v === undefined ? "–" : `${(v * 100).toFixed(1)}%`);

  function svg(tag, attrs = {}, text) {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = String(text);
    return node;
  }

  function query() {
    const params = new URLSearchParams();
    for (const [id, name] of [["date-from", "date_from"], ["date-to", "date_to"], ["channel", "channel"], ["segment", "segment"]]) {
      if ($(id).value) params.set(name, $(id).value);
    }
    return params;
  }

  // --- sign in ----------------------------------------------------------------------
  const staff = StaffPage({
    tokenKey: "banking-assistant.analytics-token",
    view: "dashboard",
    roles: ["analyst", "admin"],
    refusal: "The journey dashboard needs the analyst role.",
    onSignedIn: async () => {
      anyOf("segment", await api("/v1/analytics/segments"));
      await refresh();
    },
  });
  const { request, api } = staff;

  $("filters").addEventListener("submit", (event) => { event.preventDefault(); refresh(); });

  // --- figures ----------------------------------------------------------------------
  async function refresh() {
    const q = query();
    let overview;
    try {
      overview = await api(`/v1/analytics/overview?${q}`);
    } catch (error) {
      document.body.dataset.state = "refused";
      clearAll();
      return notice(error.message);
    }
    notice(overview.empty ? overview.message : "");
    $("k").textContent = overview.k;
    $("m-journeys").textContent = overview.journeys;
    if (overview.empty) { clearAll(); document.body.dataset.state = "empty"; return; }
    $("m-containment").textContent = pct(overview.containment);
    $("m-escalation").textContent = pct(overview.escalation_rate);
    $("m-fallback").textContent = pct(overview.fallback_rate);
    $("m-repeat").textContent = pct(overview.repeat_contact_rate);
    const ttr = overview.time_to_resolution_s;
    $("m-ttr").textContent = ttr.median === null ? "–" : `${ttr.median.toFixed(1)} s`;
    drawFunnel(overview.funnel);
    table($("escalations"), ["reason", "journeys", "rate"], overview.escalations, { rate: pct });
    table($("recommendations"), ["product_id", "segment", "shown", "accepted", "acceptance_rate"],
      overview.recommendations, { acceptance_rate: pct });
    drawPayments(overview.payments);
    const [segments, paths, friction, alerts, drift, experiments] = await Promise.all([
      api(`/v1/analytics/breakdown?by=segment&${q}`), api(`/v1/analytics/paths?${q}`),
      api(`/v1/analytics/friction?${q}`), api(`/v1/analytics/alerts?metric=escalation_rate&${q}`),
      api(`/v1/analytics/drift?${q}`), api("/v1/analytics/experiments"),
    ]);
    table($("segments"), ["segment", "journeys", "containment", "escalation_rate", "fallback_rate"], segments,
      { containment: pct, escalation_rate: pct, fallback_rate: pct });
    drawFlows(paths.edges);
    drawFriction(friction);
    drawTrend(alerts);
    drawDrift(drift);
    drawExperiments(experiments);
    document.body.dataset.state = "ready";
  }

  function clearAll() {
    for (const id of ["funnel", "flows", "trend", "friction", "alerts", "segments", "escalations", "recommendations",
      "drift", "drift-moves", "drift-current", "experiments"]) {
      $(id).replaceChildren();
    }
    $("payments")?.replaceChildren();
    for (const id of ["m-containment", "m-escalation", "m-fallback", "m-repeat", "m-ttr"]) $(id).textContent = "–";
  }

  function table(node, columns, rows, formats = {}) {
    const head = el("tr");
    columns.forEach((c) => head.append(el("th", c.replace(/_/g, " "))));
    const body = rows.map((row) => {
      const tr = el("tr");
      if (row.suppressed) tr.dataset.suppressed = "true";
      columns.forEach((c, i) => {
        if (row.suppressed && i > 0 && !(c in row && row[c] !== null)) {
          tr.append(el("td", i === 1 ? `fewer than ${$("k").textContent}` : "", "suppressed"));
        } else {
          tr.append(el("td", formats[c] ? formats[c](row[c]) : row[c]));
        }
      });
      return tr;
    });
    node.replaceChildren(head, ...body);
  }

  // Payment form runs (not journeys), in a table made beside the recommendations.
  function drawPayments(payments) {
    let node = $("payments");
    if (!node) {
      node = el("table", null, "table");
      node.id = "payments";
      $("recommendations").after(el("h2", "Payments and card repayments"), node);
    }
    const rows = Object.entries(payments || {}).map(([flow, runs]) => ({ flow: flow.replace(/_/g, " "), ...runs }));
    table(node, ["flow", "started", "warned", "stopped", "stopped_after_warning", "completed", "completion_rate"],
      rows, { completion_rate: pct });
  }

  function drawFunnel(funnel) {
    const rows = [{ label: "started", value: funnel.started }, ...funnel.steps.map((s) => ({ label: s.slot, value: s.filled, drop: s.drop_off }))];
    const max = Math.max(1, ...rows.map((r) => r.value || 0));
    const chart = svg("svg", { viewBox: `0 0 420 ${rows.length * 26 + 4}`, role: "img", "aria-label": "Funnel" });
    rows.forEach((r, i) => {
      const y = i * 26 + 2;
      const width = r.value === null ? 0 : (r.value / max) * 240;
      chart.append(svg("text", { x: 0, y: y + 15 }, r.label));
      chart.append(svg("rect", { x: 130, y, width, height: 20, class: "bar", "data-slot": r.label, "data-value": r.value ?? "" }));
      const label = r.value === null ? "suppressed" : `${r.value}${r.drop ? ` (−${(r.drop * 100).toFixed(0)}%)` : ""}`;
      chart.append(svg("text", { x: 135 + width, y: y + 15 }, label));
    });
    $("funnel").replaceChildren(chart);
  }

  function drawFlows(edges) {
    const top = edges.slice(0, 12);
    const max = Math.max(1, ...top.map((e) => e.journeys));
    const chart = svg("svg", { viewBox: `0 0 420 ${top.length * 22 + 4}`, role: "img", "aria-label": "Path flows" });
    top.forEach((e, i) => {
      const y = i * 22 + 2;
      chart.append(svg("text", { x: 0, y: y + 13 }, `${e.from} → ${e.to}`));
      chart.append(svg("rect", { x: 250, y, width: (e.journeys / max) * 130, height: 16, class: "bar", "data-flow": `${e.from}>${e.to}` }));
      chart.append(svg("text", { x: 255 + (e.journeys / max) * 130, y: y + 13 }, e.journeys));
    });
    $("flows").replaceChildren(chart);
  }

  function drawTrend(chartData) {
    const points = chartData.points;
    const chart = svg("svg", { viewBox: "0 0 420 160", role: "img", "aria-label": "Escalation rate by day" });
    if (points.length) {
      const ys = points.flatMap((p) => [p.value ?? 0, p.upper]);
      const top = Math.max(0.05, ...ys);
      const x = (i) => 30 + (points.length === 1 ? 180 : (i / (points.length - 1)) * 380);
      const y = (v) => 140 - (v / top) * 130;
      const line = (key) => points.map((p, i) => `${i ? "L" : "M"}${x(i).toFixed(1)},${y(p[key] ?? 0).toFixed(1)}`).join(" ");
      chart.append(svg("path", { d: line("upper"), class: "limit" }), svg("path", { d: line("lower"), class: "limit" }));
      chart.append(svg("path", { d: line("value"), class: "line" }));
      const alertDays = new Set(chartData.alerts.map((a) => a.day));
      points.forEach((p, i) => chart.append(svg("circle", { cx: x(i), cy: y(p.value ?? 0), r: 3, class: alertDays.has(p.day) ? "point--alert" : "bar" })));
      chart.append(svg("text", { x: 0, y: 12 }, pct(top)), svg("text", { x: 0, y: 144 }, "0%"));
      chart.append(svg("text", { x: 30, y: 158 }, points[0].day), svg("text", { x: 340, y: 158 }, points[points.length - 1].day));
    }
    $("trend").replaceChildren(chart);
    $("alerts").replaceChildren(...chartData.alerts.map((a) => el("li", `${a.day}: ${pct(a.value)} outside ${pct(a.lower)}–${pct(a.upper)}`)));
  }

  // Segment changes per day (new assignments and moves), moves between segments, sizes now.
  function drawDrift(drift) {
    const days = drift.days;
    const max = Math.max(1, ...days.map((d) => d.changes || 0));
    const chart = svg("svg", { viewBox: `0 0 420 ${days.length * 22 + 4}`, role: "img", "aria-label": "Segment changes by day" });
    days.forEach((d, i) => {
      const y = i * 22 + 2;
      const width = d.changes === null ? 0 : (d.changes / max) * 250;
      chart.append(svg("text", { x: 0, y: y + 13 }, d.day));
      chart.append(svg("rect", { x: 100, y, width, height: 16, class: "bar", "data-day": d.day, "data-value": d.changes ?? "" }));
      chart.append(svg("text", { x: 105 + width, y: y + 13 },
        d.changes === null ? `fewer than ${drift.k}` : `${d.changes} (${d.moved} moved, ${d.new} new)`));
    });
    $("drift").replaceChildren(chart);
    const hidden = drift.suppressed_moves
      ? [{ from: "other moves", to: `${drift.suppressed_moves} of fewer than ${drift.k} customers each`, customers: null }]
      : [];
    table($("drift-moves"), ["from", "to", "customers"], [...drift.moves, ...hidden]);
    table($("drift-current"), ["segment", "customers"], drift.current);
  }

  // Each experiment: traffic, then per arm the reward's credible interval (a bar from low to
  // high, a dot at the posterior mean) and its figures; arms under k are suppressed.
  function drawExperiments(experiments) {
    $("experiments").replaceChildren(...experiments.map((x) => {
      const box = el("div", undefined, "experiment");
      box.dataset.experiment = x.name;
      box.append(el("h3", `${x.name} (${x.kind === "ab" ? "A/B test" : "bandit"}): ${x.traffic} outcomes`));
      const arms = x.arms.filter((a) => !a.suppressed && a.n);
      const chart = svg("svg", { viewBox: `0 0 420 ${arms.length * 20 + 18}`, role: "img", "aria-label": `${x.name} arms` });
      arms.forEach((a, i) => {
        const y = i * 20 + 10;
        const at = (v) => 130 + v * 280;
        chart.append(svg("text", { x: 0, y: y + 4 }, a.arm));
        chart.append(svg("line", { x1: at(a.credible_95[0]), x2: at(a.credible_95[1]), y1: y, y2: y, class: "interval", "data-arm": a.arm }));
        chart.append(svg("circle", { cx: at(a.posterior_mean), cy: y, r: 4, class: "point--alert" }));
      });
      chart.append(svg("text", { x: 130, y: arms.length * 20 + 16 }, "0%"), svg("text", { x: 390, y: arms.length * 20 + 16 }, "100%"));
      const rows = x.arms.map((a) => (a.suppressed ? { arm: a.arm, suppressed: true } : {
        ...a, credible_95: `${pct(a.credible_95[0])}–${pct(a.credible_95[1])}`, stopped: a.stopped ? x.stopped[a.arm] : "",
      }));
      const figures = el("table", undefined, "table");
      table(figures, ["arm", "n", "reward_rate", "credible_95", "p_best", "escalation_rate", "stopped"], rows,
        { reward_rate: pct, p_best: pct, escalation_rate: pct });
      box.append(chart, figures);
      if (x.message) box.append(el("p", x.message, "hint"));
      return box;
    }));
  }

  function drawFriction(findings) {
    $("friction").replaceChildren(...findings.map((f) => {
      const li = el("li");
      li.dataset.kind = f.kind;
      li.dataset.step = f.step;
      li.append(el("span", `${f.kind.replace(/_/g, " ")} at ${f.step}`, f.unusual ? "unusual" : ""));
      li.append(el("span", ` — ${pct(f.rate)} of ${f.journeys} (baseline ${pct(f.baseline)})`));
      if (f.examples.length) li.append(el("div", `e.g. ${f.examples[0].path.join(" → ")}`, "hint"));
      return li;
    }));
  }

  async function download(format) {
    try {
      const response = await request(`/v1/analytics/export?format=${format}&table=segment&${query()}`);
      const blob = await response.blob();
      const link = el("a");
      link.href = URL.createObjectURL(blob);
      link.download = `journeys-segment.${format}`;
      document.body.append(link);
      link.click();
      link.remove();
    } catch (error) { notice(error.message); }
  }
  $("export-csv").addEventListener("click", () => download("csv"));
  $("export-json").addEventListener("click", () => download("json"));

  staff.start();
})();
