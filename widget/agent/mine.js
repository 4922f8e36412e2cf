// "My conversations" in the sidebar: one entry per conversation this agent owns, enough to tell
// them apart at a glance (who, topic, why a person is needed, time since the customer last
// wrote, unread messages, typing), the one the customer wrote to most recently on top.

import { el, replace, formatDuration } from "../shared/dom.js";

/** "Guest 4821": a name for a customer who gave none, the same every time for a conversation. */
export function guestName(conversationId) {
  let hash = 2166136261; // FNV-1a: tiny, and spreads similar ids apart
  for (const ch of String(conversationId)) hash = Math.imul(hash ^ ch.charCodeAt(0), 16777619) >>> 0;
  return `Guest ${1000 + (hash % 9000)}`;
}

/** The conversations in list order: latest customer message first, never-written ones last. */
export function ordered(views) {
  return [...views].sort((a, b) => (b.lastCustomerAt || 0) - (a.lastCustomerAt || 0) || (a.id < b.id ? -1 : 1));
}

function since(view, now) {
  if (!view.lastCustomerAt) return "no message from the customer yet";
  return `customer wrote ${formatDuration((now - view.lastCustomerAt) / 1000)} ago`;
}

/** The reason a person is needed, short: the trigger's own words, else its kind. */
function reason(context) {
  const trigger = context.trigger || {};
  return String(trigger.detail || trigger.kind || "").replaceAll("_", " ");
}

export function renderMine(list, views, selected, onSelect, now = Date.now()) {
  const items = ordered(views);
  if (!items.length) return replace(list, el("li", { class: "muted" }, "None yet."));
  replace(list, items.map((v) => {
    const current = v.id === selected;
    const about = [v.context.topic ? String(v.context.topic) : null, reason(v.context) || null].filter(Boolean).join(" · ");
    return el("li", {},
      el("button", { type: "button", class: `mine-item${current ? " current" : ""}`, dataset: { conversationId: v.id }, "aria-current": current ? "true" : null, onclick: () => onSelect(v.id) },
        el("span", { class: "mine-head" },
          el("span", { class: "mine-name" }, v.customerName),
          v.customerTyping ? el("span", { class: "mine-typing" }, "typing…") : null,
          v.unread ? el("span", { class: "count", "aria-label": `${v.unread} unread` }, String(v.unread)) : null),
        about ? el("span", { class: "mine-about" }, about) : null,
        el("span", { class: "mine-since", dataset: { since: "" } }, since(v, now)),
        v.released ? el("span", { class: "muted" }, ` (${v.released.replace("_", " ")})`) : null));
  }));
}

/** Moves the "customer wrote … ago" lines on without rebuilding the list (keeps focus). */
export function refreshTimes(list, views, now = Date.now()) {
  for (const view of views) {
    const line = list.querySelector(`button[data-conversation-id="${CSS.escape(view.id)}"] .mine-since`);
    if (line) line.textContent = since(view, now);
  }
}
