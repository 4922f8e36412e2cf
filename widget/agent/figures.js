// Supervisors' insights in words and numbers: the answer of GET /api/insights (docs/protocol.md)
// turned into the figures shown, the series each chart draws and the table that says the same
// as the chart. Pure functions, no DOM: testable in node.

import { humanize } from "./words.js";

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** "42 %" for a rate of 0.42; "—" when there was nothing to count. */
export function percent(rate) {
  if (typeof rate !== "number" || !Number.isFinite(rate)) return "\u2014";
  return `${Math.round(rate * 1000) / 10} %`;
}

/** "45 s", "3.5 min", "1.2 h"; "—" when unknown. */
export function seconds(value) {
  if (typeof value !== "number" || !Number.isFinite(value)) return "\u2014";
  if (value < 60) return `${Math.round(value)} s`;
  if (value < 3600) return `${Math.round(value / 6) / 10} min`;
  return `${Math.round(value / 360) / 10} h`;
}

/** "4.3 of 5 (12 ratings)", or "no ratings". */
export function rating({ mean, count } = {}) {
  if (!count || typeof mean !== "number") return "no ratings";
  return `${Math.round(mean * 10) / 10} of 5 (${count} rating${count === 1 ? "" : "s"})`;
}

/** The query string of a filter, or an error message for the person who set it. */
export function queryOf({ from, to, team }) {
  if (!DAY.test(from || "") || !DAY.test(to || "")) return { error: "Choose both dates." };
  if (from > to) return { error: "The start date is after the end date." };
  const params = new URLSearchParams({ from, to });
  if (team) params.set("team", team);
  return { query: params.toString() };
}

/** The headline figures: [id, label, value in words]. */
export function headline(data) {
  const t = data.totals;
  return [
    ["conversations", "Conversations", String(t.conversations)],
    ["containment", "Contained by the assistant", percent(t.containment_rate)],
    ["handoff", "Handed to a person", percent(t.handoff_rate)],
    ["fcr", "Resolved on first contact", percent(t.first_contact_resolution_rate)],
    ["recontact", "Came back about an earlier conversation", percent(t.recontact_rate)],
    ["assistant-rating", "Rating of the assistant", rating(data.ratings.assistant)],
    ["person-rating", "Rating of people", rating(data.ratings.person)],
    ["wait", "Wait for a person (median / p90)", `${seconds(data.wait.median_seconds)} / ${seconds(data.wait.p90_seconds)}`],
    ["handle", "Handle time (median / p90)", `${seconds(data.handle.median_seconds)} / ${seconds(data.handle.p90_seconds)}`],
    ["suggestions", "Agent replies begun from a suggestion", suggestionUse(data.suggestions)],
  ];
}

/** "25 % (3 of 12 replies, 1 edited)", or "no agent replies". */
export function suggestionUse({ replies, suggested, edited, rate } = {}) {
  if (!replies) return "no agent replies";
  return `${percent(rate)} (${suggested} of ${replies} repl${replies === 1 ? "y" : "ies"}, ${edited} edited)`;
}

/** Every key of one per-day map (by trigger, by risk reason) across the days, sorted. */
function keysOf(days, field) {
  return [...new Set(days.flatMap((d) => Object.keys(d[field] || {})))].sort();
}

/**
 * A chart over days: {x: unix seconds of each day, series: [{label, values}], table: {head, rows}}.
 * Rates stay fractions in `values` (the chart's axis shows them as percent); the table has words.
 */
export function daySeries(data, kind) {
  const days = data.days;
  const x = days.map((d) => Date.parse(`${d.day}T00:00:00Z`) / 1000);
  let series;
  if (kind === "rates") {
    series = [
      { label: "Contained", values: days.map((d) => d.containment_rate) },
      { label: "Handed to a person", values: days.map((d) => d.handoff_rate) },
      { label: "Resolved on first contact", values: days.map((d) => d.first_contact_resolution_rate) },
    ];
  } else {
    const field = kind === "trigger" ? "handoff_rate_by_trigger" : "handoff_rate_by_risk_reason";
    series = keysOf(days, field).map((key) => ({
      label: humanize(key),
      // A day with conversations but none for this key is 0; a day without any is unknown.
      values: days.map((d) => (d.final ? (d[field][key] ?? 0) : null)),
    }));
  }
  const table = {
    head: ["Day", ...series.map((s) => s.label)],
    rows: days.map((d, i) => [d.day, ...series.map((s) => percent(s.values[i]))]),
  };
  return { x, series, table };
}

/** A distribution as bars: {labels, counts, table}. */
export function bins(distribution) {
  const labels = distribution.bins.map((b) => b.label);
  const counts = distribution.bins.map((b) => b.count);
  return { labels, counts, table: { head: ["Time", "Conversations"], rows: labels.map((l, i) => [l, String(counts[i])]) } };
}
