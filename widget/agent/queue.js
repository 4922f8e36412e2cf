// The waiting queue in the console's sidebar: one entry per waiting conversation with its
// priority, why it stands where it does (its class by consequence, docs/agents.md), risk
// tier, a live wait time and a Claim button. Reports arrivals.
// An emergency (tier "emergency", priority 0, always first) carries a red EMERGENCY mark.

import { el, replace, formatDuration } from "../shared/dom.js";

export class QueueView {
  constructor(list, count, online, onClaim) {
    this.list = list;
    this.count = count;
    this.online = online;
    this.onClaim = onClaim;
    this.items = [];
    this.known = null; // ids seen in the previous update; null before the first one
    // Wait times tick without waiting for the server.
    setInterval(() => this.tick(), 1000);
  }

  /** Applies a `queue` frame; returns the items that were not there before. */
  update(frame) {
    this.items = Array.isArray(frame.items) ? frame.items.filter((i) => i && typeof i.conversation_id === "string") : [];
    const ids = new Set(this.items.map((i) => i.conversation_id));
    const arrived = this.known === null ? [] : this.items.filter((i) => !this.known.has(i.conversation_id));
    this.known = ids;
    this.count.textContent = String(this.items.length);
    this.online.textContent = typeof frame.agents_online === "number" ? `${frame.agents_online} agent(s) online` : "";
    this.render();
    return arrived;
  }

  render() {
    if (!this.items.length) {
      replace(this.list, el("li", { class: "muted" }, "No one is waiting."));
      return;
    }
    replace(this.list, this.items.map((item) => {
      const tier = String(item.tier || "unknown");
      const trigger = item.trigger && typeof item.trigger === "object" ? item.trigger.kind : item.trigger;
      const emergency = tier === "emergency";
      return el("li", { class: `queue-item edge-${tier.replace(/[^a-z_]/g, "")}${emergency ? " queue-emergency" : ""}`, dataset: { conversationId: item.conversation_id } },
        emergency ? el("p", { class: "emergency-mark" }, "EMERGENCY — customer may be in danger") : null,
        el("p", { class: "q-head" },
          el("span", { class: "priority" }, `P${String(item.priority ?? "?")}`), " ",
          el("span", { class: `tier tier-${tier.replace(/[^a-z_]/g, "")}` }, tier), " ",
          el("span", { class: "wait", dataset: { since: String(item.waiting_since || "") } }, waitText(item.waiting_since))),
        el("p", { class: "q-why" }, String(item.why || item.reason || trigger || "Handoff")),
        Array.isArray(item.also) && item.also.length
          ? el("p", { class: "q-also muted" }, `Also: ${item.also.map(String).join("; ")}`)
          : null,
        item.summary ? el("p", { class: "q-summary" }, String(item.summary)) : null,
        el("p", { class: "q-meta muted" }, `Team: ${String(item.team || "general")}`,
          typeof item.position === "number" ? ` · #${item.position}` : ""),
        el("button", { type: "button", class: "btn btn-primary btn-small", onclick: () => this.onClaim(item.conversation_id) },
          "Claim", el("span", { class: "sr-only" }, ` conversation: ${String(item.why || item.reason || "")}`)));
    }));
  }

  tick() {
    for (const node of this.list.querySelectorAll(".wait")) node.textContent = waitText(node.dataset.since);
  }
}

function waitText(since) {
  const t = since ? Date.parse(since) : NaN;
  if (Number.isNaN(t)) return "";
  return `waiting ${formatDuration((Date.now() - t) / 1000)}`;
}
