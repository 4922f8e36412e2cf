// Turns conversation frames into DOM nodes for the customer chat. Pure rendering: no socket,
// no storage. Every piece of text goes through el(), i.e. into text nodes.

import { el, formatTime, formatDuration } from "../shared/dom.js";

const SENDER_CLASS = { customer: "from-customer", bot: "from-bot", agent: "from-agent", system: "from-system" };

/** One history frame (`message` or `event`) as a list item, or null for anything else. */
export function renderHistoryFrame(frame) {
  if (frame.type === "message") return renderMessage(frame);
  if (frame.type === "event") return renderEvent(frame);
  return null;
}

export function renderMessage(frame, { pending = false } = {}) {
  const sender = SENDER_CLASS[frame.sender] ? frame.sender : "system";
  const author = frame.author || defaultAuthor(sender);
  return el(
    "li",
    { class: `msg ${SENDER_CLASS[sender]}${pending ? " pending" : ""}`, dataset: { seq: frame.seq ?? "", clientId: frame.client_id ?? "" } },
    el("span", { class: "author" }, author, sender === "bot" ? el("span", { class: "badge badge-ai" }, "AI") : null),
    el("p", { class: "text" }, String(frame.text ?? "")),
    el("span", { class: "meta" }, pending ? pendingLabel(pending) : formatTime(frame.ts)),
  );
}

function pendingLabel(state) {
  if (state === "offline") return "Not sent yet: will send when you are back online";
  if (state === "failed") return "Not delivered";
  return "Sending…";
}

function defaultAuthor(sender) {
  if (sender === "customer") return "You";
  if (sender === "bot") return "Northwind assistant (AI)";
  if (sender === "agent") return "Agent";
  return "Northwind";
}

export function renderEvent(frame) {
  return el("li", { class: `event event-${String(frame.event || "other")}`, dataset: { seq: frame.seq ?? "" } },
    el("p", {}, String(frame.text || describeEvent(frame))),
  );
}

/** A fallback sentence in case the server sends an event without text. */
function describeEvent(frame) {
  if (frame.event === "agent_joined") return `${frame.agent_name || "An agent"} (a person) has joined the conversation.`;
  if (frame.event === "handed_back") return "You are back with the Northwind assistant (AI).";
  if (frame.event === "closed") return "The conversation was closed.";
  return "The conversation changed.";
}

export function renderMissedDivider(count) {
  return el("li", { class: "divider", role: "separator" },
    `While you were away: ${count} new ${count === 1 ? "message" : "messages"}`);
}

/** Who the customer is talking to, for the header. */
export function speakerFor(owner, agentName) {
  if (owner === "agent") return { name: agentName || "An agent", badge: "Person" };
  if (owner === "queue") return { name: "Waiting for a person", badge: "Queue" };
  if (owner === "closed") return { name: "Conversation closed", badge: null };
  return { name: "Northwind assistant", badge: "AI" };
}

export function queueSentence(q) {
  const parts = [];
  parts.push(`You are number ${q.position} in line for a person.`);
  if (typeof q.estimated_wait_seconds === "number") parts.push(`Estimated wait: about ${formatDuration(q.estimated_wait_seconds)}.`);
  if (q.business_hours === false) parts.push("We are outside business hours.");
  else if (q.agents_online === 0) parts.push("No one is online right now.");
  return parts.join(" ");
}

export function renderQuickReplies(buttons, onPick) {
  return buttons
    .filter((b) => b && typeof b.title === "string" && typeof b.payload === "string")
    .map((b) => el("button", { type: "button", class: "btn btn-chip", onclick: () => onPick(b) }, b.title));
}
