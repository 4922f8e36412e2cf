// Suggested replies for the customer's latest message, from the assistant (its own answer,
// the shop's data) and from replies agents sent before. A click only puts one in the reply box
// for the agent to edit; nothing is ever sent without the agent pressing Send.

import { el, replace } from "../shared/dom.js";

const SOURCES = { assistant: "The assistant's answer", shop: "From the shop's records", agents: "An earlier agent reply" };

export function renderSuggestions(view) {
  const list = el("ol", { class: "suggestion-list" });
  const root = el("section", { class: "suggestions", "aria-labelledby": `sugg-h-${view.id}`, hidden: true },
    el("h3", { id: `sugg-h-${view.id}` }, "Suggested replies (not sent)"), list);
  let items = [];
  let shownSeq = -1; // answers can arrive out of order: an older message's never replaces a newer one's
  return {
    root,
    get items() { return items; },
    /** A `suggestions` frame: the offers for the customer's latest message replace older ones. */
    show(frame) {
      const seq = typeof frame.seq === "number" ? frame.seq : 0;
      if (seq < shownSeq) return;
      shownSeq = seq;
      items = (Array.isArray(frame.items) ? frame.items : []).filter((i) => i && typeof i.id === "string" && typeof i.text === "string");
      replace(list, items.map((item, n) => el("li", { class: `suggestion from-${SOURCES[item.source] ? item.source : "agents"}` },
        el("p", { class: "suggestion-source" }, SOURCES[item.source] || "Suggestion", el("span", { class: "muted" }, ` — ${String(item.label || "")}`)),
        el("p", { class: "suggestion-text" }, item.text),
        el("button", { type: "button", class: "btn btn-small", "aria-label": `Use suggestion ${n + 1} in the reply box`, onclick: () => view.useSuggestion(item) }, `Use (Alt+${n + 1})`))));
      root.hidden = items.length === 0;
    },
  };
}
