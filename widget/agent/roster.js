// Who is online and the languages they speak, under the queue: an agent sees at a glance who
// can take a customer writing in Spanish. Built from the `agents` list of each `queue` frame.

import { el, replace } from "../shared/dom.js";

/** Renders [{name, languages, available}] into `list`; names and codes go in as text. */
export function renderRoster(list, agents) {
  const online = Array.isArray(agents) ? agents.filter((a) => a && typeof a.name === "string") : [];
  replace(list, online.map((a) => {
    const codes = Array.isArray(a.languages) ? a.languages.filter((c) => typeof c === "string") : [];
    return el("li", { class: a.available ? "roster-agent" : "roster-agent roster-away" },
      el("span", { class: "roster-name" }, a.name),
      el("span", { class: "roster-languages", title: "Languages spoken" }, codes.map((c) => c.toUpperCase()).join(" · ") || "—"),
      a.available ? null : el("span", { class: "muted" }, " (away)"));
  }));
}
