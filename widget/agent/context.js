// Renders a handoff context (docs/protocol.md, "Handoff intake") for the agent: who the
// customer is (and their earlier conversations), why the conversation was handed over, how
// risky it is, the summary, the sentiment trend, and the facts the assistant recorded, all in
// plain words (words.js). Read-only; all text goes through el().

import { el, formatTime } from "../shared/dom.js";
import { identityText, recontactText, slotRows, speaker, triggerSentence } from "./words.js";

const TRIGGERS = {
  nlu_confidence: "Low understanding confidence",
  low_confidence_streak: "Several unclear messages in a row",
  sentiment: "Negative sentiment",
  turns: "Conversation too long",
  risk: "Risky request",
  customer_request: "Customer asked for a person",
  loop: "Going in circles",
  language: "Another language",
};

const num = (v) => (typeof v === "number" && Number.isFinite(v) ? v : null);
const fmt = (v) => (num(v) === null ? "—" : (Math.round(v * 100) / 100).toFixed(2));

/** Who the customer is (`name`: theirs, or the conversation's stable guest name), verified or
 * not, whether they came back about this (`recontact`), and their earlier handed-over
 * conversations. */
export function renderIdentity(ctx, name, earlier, recontact) {
  const c = ctx.customer || {};
  const past = Array.isArray(earlier) ? earlier.filter((e) => e && typeof e === "object") : [];
  return el("section", { class: "box identity", "aria-label": "Customer" },
    el("h3", {}, name),
    el("p", { class: c.verified ? "verified ok" : "verified muted" }, identityText(c),
      c.verified && c.customer_id ? ` · customer ${String(c.customer_id)}` : ""),
    renderRecontact(recontact),
    past.length
      ? el("details", { class: "earlier" },
        el("summary", {}, past.length === 1 ? "1 earlier conversation" : `${past.length} earlier conversations`),
        el("ol", {}, past.map((e) => el("li", {},
          el("p", { class: "earlier-head" }, whenText(e.at), e.topic ? ` · ${String(e.topic).replace(/_/g, " ")}` : "", e.why ? ` · ${String(e.why)}` : ""),
          e.summary ? el("p", { class: "earlier-summary" }, String(e.summary)) : null))))
      : null);
}

/** "Second contact about this in 3 days", with a link that opens the earlier transcript. */
function renderRecontact(recontact) {
  if (!recontact || typeof recontact !== "object" || typeof recontact.conversation_id !== "string") return null;
  const messages = Array.isArray(recontact.transcript) ? recontact.transcript.filter((m) => m && typeof m === "object") : [];
  const anchor = `earlier-${recontact.conversation_id.replace(/[^A-Za-z0-9_-]/g, "")}`;
  const transcript = el("details", { class: "recontact-transcript", id: anchor },
    el("summary", {}, `The earlier conversation${recontact.at ? `, ${whenText(recontact.at)}` : ""}`),
    messages.length
      ? el("ol", {}, messages.map((m) => el("li", {},
        el("span", { class: "who" }, `${speaker(m.sender)}: `), String(m.text || ""))))
      : el("p", { class: "muted" }, "No messages were written in it."));
  const link = el("a", {
    href: `#${anchor}`,
    onclick: (ev) => {
      ev.preventDefault(); // the console's own links (#conversation=) stay as they are
      transcript.open = true;
      transcript.scrollIntoView({ block: "nearest" });
      transcript.querySelector("summary").focus();
    },
  }, "see the earlier transcript");
  return el("div", { class: "recontact" },
    el("p", { class: "recontact-line" }, el("strong", {}, recontactText(recontact.days)), " · ", link),
    transcript);
}

function whenText(at) {
  const t = at ? Date.parse(at) : NaN;
  if (Number.isNaN(t)) return "Earlier";
  return `${new Date(t).toLocaleDateString()} ${formatTime(t)}`;
}

export function renderBanner(ctx) {
  const trigger = ctx.trigger || {};
  const risk = ctx.risk || {};
  const tier = String(risk.tier || "unknown");
  const said = triggerSentence(trigger);
  const emergency = tier === "emergency";
  return el("section", { class: `banner edge-${tier.replace(/[^a-z_]/g, "")}${emergency ? " banner-emergency" : ""}`, "aria-label": "Why this conversation was handed over" },
    emergency
      ? el("p", { class: "emergency-mark", role: "alert" }, "EMERGENCY — the customer may be in danger now. They were told to get safe and call their local emergency number.")
      : null,
    el("p", { class: "banner-reason" },
      el("strong", {}, TRIGGERS[trigger.kind] || String(trigger.kind || "Handoff"))),
    said ? el("p", { class: "trigger-sentence" }, said) : null,
    el("p", { class: "risk" }, "Risk tier: ", el("span", { class: `tier tier-${tier.replace(/[^a-z_]/g, "")}` }, tier)),
    Array.isArray(risk.reasons) && risk.reasons.length
      ? el("ul", { class: "reasons", "aria-label": "Risk reasons" }, risk.reasons.map((r) => el("li", {}, String(r))))
      : null,
  );
}

export function renderSummary(ctx) {
  return el("section", { class: "box", "aria-labelledby": "summary-h" },
    el("h3", { id: "summary-h" }, "Summary", ctx.topic ? el("span", { class: "topic" }, String(ctx.topic)) : null),
    el("p", { class: "summary-text" }, String(ctx.summary || "No summary.")));
}

export function renderSentiment(ctx) {
  const s = ctx.sentiment || {};
  const trend = Array.isArray(s.trend) ? s.trend.filter((v) => num(v) !== null) : [];
  return el("section", { class: "box", "aria-labelledby": "sentiment-h" },
    el("h3", { id: "sentiment-h" }, "Sentiment"),
    trend.length ? sparkline(trend) : null,
    el("p", { class: "trend-text" },
      trend.length ? `Trend: ${trend.map(fmt).join(" → ")}` : "No sentiment scores.",
      el("br"), `Latest ${fmt(s.latest)}, mean ${fmt(s.mean)} (−1 very negative, +1 very positive)`));
}

/** An SVG line from -1..1 scores; built with createElementNS so nothing is parsed. */
function sparkline(values) {
  const ns = "http://www.w3.org/2000/svg";
  const w = 200, h = 48, pad = 4;
  const x = (i) => pad + (values.length === 1 ? (w - 2 * pad) / 2 : (i * (w - 2 * pad)) / (values.length - 1));
  const y = (v) => pad + ((1 - Math.max(-1, Math.min(1, v))) / 2) * (h - 2 * pad);
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", `0 0 ${w} ${h}`);
  svg.setAttribute("class", "sparkline");
  svg.setAttribute("aria-hidden", "true");
  const zero = document.createElementNS(ns, "line");
  for (const [k, v] of Object.entries({ x1: 0, x2: w, y1: y(0), y2: y(0), class: "zero" })) zero.setAttribute(k, String(v));
  const line = document.createElementNS(ns, "polyline");
  line.setAttribute("points", values.map((v, i) => `${x(i)},${y(v)}`).join(" "));
  svg.append(zero, line);
  for (const [i, v] of values.entries()) {
    const dot = document.createElementNS(ns, "circle");
    for (const [k, val] of Object.entries({ cx: x(i), cy: y(v), r: 3, class: v < 0 ? "neg" : "pos" })) dot.setAttribute(k, String(val));
    svg.append(dot);
  }
  return svg;
}

/** What the assistant recorded, as labelled values in plain words. */
export function renderFacts(ctx) {
  const rows = [...slotRows(ctx.slots), ctx.team ? ["Team", String(ctx.team)] : null].filter(Boolean);
  return el("section", { class: "box", "aria-label": "Facts" },
    el("h3", {}, "Facts the assistant recorded"),
    rows.length
      ? el("dl", { class: "facts" }, rows.map(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]))
      : el("p", { class: "muted" }, "None yet."));
}

/** The assistant's view of each turn before the handoff: intent, confidence, sentiment. */
export function renderTurns(ctx) {
  const turns = Array.isArray(ctx.turns) ? ctx.turns : [];
  if (!turns.length) return null;
  return el("details", { class: "box turns" },
    el("summary", {}, `Assistant's analysis of ${turns.length} turns`),
    el("ol", {}, turns.map((t) => el("li", { class: `turn from-${t.sender === "customer" ? "customer" : "bot"}` },
      el("span", { class: "who" }, t.sender === "customer" ? "Customer" : "Assistant"), ": ",
      el("span", {}, String(t.text ?? "")),
      t.intent ? el("span", { class: "nlu" }, ` [${String(t.intent)} ${fmt(t.confidence)}${num(t.sentiment) !== null ? `, sentiment ${fmt(t.sentiment)}` : ""}]`) : null))));
}
