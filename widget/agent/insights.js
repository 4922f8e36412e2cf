// The supervisors' insights page: filters, GET /api/insights with the console's session token,
// the figures, the charts (uPlot) each with its table, the failed messages and the CSV download.

import { el, replace } from "../shared/dom.js";
import { headline, daySeries, bins, queryOf } from "./figures.js";

const $ = (id) => document.getElementById(id);
const SESSION_KEY = "northwind-agent.session";
const DEFAULT_DAYS = 30;
// Colours that stay apart for common colour blindness (Okabe–Ito), darkened for contrast.
const COLOURS = ["#0b6aa2", "#b35900", "#1b7f5b", "#a8327a", "#5b4ea8", "#7a6a00", "#444444"];

const session = JSON.parse(sessionStorage.getItem(SESSION_KEY) || "null");
// The console opens this page in a tab of its own, so the supervisor stays online there (and
// keeps their conversations); going back is going to that tab.
$("console-link").addEventListener("click", (event) => {
  const opener = window.opener;
  if (!opener || opener.closed) return;
  event.preventDefault();
  opener.focus();
  window.close();
});
// uPlot is optional to the page: without it every chart is still there as its table.
const uPlot = await import("/vendor/uplot/uPlot.esm.js").then((m) => m.default).catch((err) => {
  console.warn("northwind: charts unavailable, showing tables only", err);
  return null;
});
let charts = [];

function isoDay(date) {
  return date.toISOString().slice(0, 10);
}

function fail(text) {
  $("insights-error").textContent = text;
}

function filters() {
  return { from: $("from").value, to: $("to").value, team: $("team").value };
}

async function call(path) {
  return fetch(path, { headers: { Authorization: `Bearer ${session.token}` } });
}

async function refusal(res) {
  if (res.status === 401) return "Your session has expired. Sign in again on the console.";
  if (res.status === 403) return "Insights are for supervisors.";
  const body = await res.json().catch(() => ({}));
  return String(body.message || `The service answered ${res.status}.`);
}

async function show() {
  fail("");
  const { query, error } = queryOf(filters());
  if (error) return fail(error);
  history.replaceState(null, "", `?${query}`);
  $("insights-status").textContent = "Loading…";
  let res;
  try {
    res = await call(`/api/insights?${query}`);
  } catch (err) {
    $("insights-status").textContent = "";
    return fail("The service cannot be reached. Try again in a moment.");
  }
  if (!res.ok) {
    $("insights-status").textContent = "";
    return fail(await refusal(res));
  }
  render(await res.json());
}

function render(data) {
  const team = $("team").value;
  replace($("team"), el("option", { value: "" }, "All teams"), data.teams.map((t) => el("option", { value: t }, t)));
  $("team").value = data.teams.includes(team) ? team : "";
  replace($("figures"), headline(data).map(([id, label, value]) =>
    el("div", { "data-figure": id }, el("dt", {}, label), el("dd", {}, value))));
  for (const chart of charts) chart.destroy();
  charts = [];
  replace($("charts"),
    dayChart("rates", "Containment, handoffs and first-contact resolution per day", daySeries(data, "rates")),
    dayChart("trigger", "Handoff rate by trigger per day", daySeries(data, "trigger")),
    dayChart("risk", "Handoff rate by risk reason per day", daySeries(data, "risk")),
    barChart("wait-chart", "Wait for a person", bins(data.wait)),
    barChart("handle-chart", "Agent handle time", bins(data.handle)));
  replace($("failed").tBodies[0], data.failed_messages.length
    ? data.failed_messages.map((m) => el("tr", {},
      el("td", {}, m.text),
      el("td", { class: "num" }, String(m.count)),
      el("td", {}, el("a", { href: `/agent#conversation=${encodeURIComponent(m.example_conversation_id)}` }, "open a conversation"))))
    : el("tr", {}, el("td", { colspan: "3", class: "muted" }, "None in these days.")));
  const who = data.team ? `team ${data.team}` : "all teams";
  $("insights-status").textContent = `${data.from} to ${data.to}, ${who}: ${data.totals.conversations} conversations.`;
}

function table({ head, rows }, caption) {
  return el("table", { class: "data" },
    el("caption", { class: "sr-only" }, caption),
    el("thead", {}, el("tr", {}, head.map((h, i) => el("th", { scope: "col", class: i ? "num" : null }, h)))),
    el("tbody", {}, rows.map((row) => el("tr", {}, row.map((c, i) => el(i ? "td" : "th", i ? { class: "num" } : { scope: "row" }, c))))));
}

// A figure: the caption, the chart (hidden from screen readers: the table says it), and the
// table in a disclosure, opened when there is no chart to look at.
function figure(id, caption, tableData, draw) {
  const area = el("div", { class: "chart", "aria-hidden": "true" });
  const details = el("details", { open: !uPlot || !draw }, el("summary", {}, "Show as a table"), table(tableData, caption));
  const node = el("figure", { id, "data-chart": id }, el("figcaption", {}, caption), area, details);
  if (uPlot && draw) requestAnimationFrame(() => charts.push(draw(area, Math.max(320, area.clientWidth || 460))));
  return node;
}

function dayChart(id, caption, { x, series, table: rows }) {
  if (!series.length) return figure(`${id}-chart`, caption, { head: ["Day"], rows: [["No handoffs in these days."]] }, null);
  return figure(`${id}-chart`, caption, rows, (area, width) => new uPlot({
    width, height: 220, legend: { live: false },
    scales: { y: { range: [0, 1] } },
    axes: [
      { incrs: [86400, 7 * 86400, 28 * 86400], values: (_u, ticks) => ticks.map((t) => new Date(t * 1000).toISOString().slice(5, 10)) },
      { size: 54, values: (_u, ticks) => ticks.map((v) => `${Math.round(v * 100)} %`) },
    ],
    series: [{}, ...series.map((s, i) => ({ label: s.label, stroke: COLOURS[i % COLOURS.length], width: 2, points: { show: true } }))],
  }, [x, ...series.map((s) => s.values)], area));
}

function barChart(id, caption, { labels, counts, table: rows }) {
  return figure(id, caption, rows, (area, width) => new uPlot({
    width, height: 240, legend: { live: false },
    scales: { x: { time: false, range: [-0.5, labels.length - 0.5] } },
    axes: [
      { values: (_u, ticks) => ticks.map((i) => labels[i] ?? ""), incrs: [1], rotate: -30, size: 56, font: "11px system-ui" },
      { incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000], values: (_u, ticks) => ticks.map(String) },
    ],
    series: [{}, { label: "Conversations", fill: COLOURS[0], stroke: COLOURS[0], paths: uPlot.paths.bars({ size: [0.7, 80] }), points: { show: false } }],
  }, [labels.map((_l, i) => i), counts], area));
}

async function downloadCsv() {
  fail("");
  const { query, error } = queryOf(filters());
  if (error) return fail(error);
  let res;
  try {
    res = await call(`/api/insights.csv?${query}`);
  } catch (err) {
    return fail("The service cannot be reached. Try again in a moment.");
  }
  if (!res.ok) return fail(await refusal(res));
  const name = /filename="([^"]+)"/.exec(res.headers.get("Content-Disposition") || "")?.[1] || "insights.csv";
  const url = URL.createObjectURL(await res.blob());
  const link = el("a", { href: url, download: name, hidden: true });
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

function start() {
  if (!session || !session.token) {
    replace(document.querySelector("main"), el("p", {}, "Sign in on the ", el("a", { href: "/agent" }, "agent console"), " first."));
    return;
  }
  if (!session.agent || session.agent.role !== "supervisor") {
    replace(document.querySelector("main"), el("p", { role: "alert" }, "Insights are for supervisors. ", el("a", { href: "/agent" }, "Back to the console")));
    return;
  }
  const asked = new URLSearchParams(location.search);
  const to = asked.get("to") || isoDay(new Date());
  const from = asked.get("from") || isoDay(new Date(Date.parse(`${to}T00:00:00Z`) - (DEFAULT_DAYS - 1) * 86400000));
  $("from").value = from;
  $("to").value = to;
  if (asked.get("team")) $("team").replaceChildren(el("option", { value: "" }, "All teams"), el("option", { value: asked.get("team") }, asked.get("team")));
  $("team").value = asked.get("team") || "";
  $("filters").addEventListener("submit", (ev) => { ev.preventDefault(); show(); });
  $("csv").addEventListener("click", downloadCsv);
  show();
}

start();
