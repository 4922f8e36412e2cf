// The agent's tools on a conversation: the assistant's draft to approve, edit or reject,
// private notes, and transfer / hand back / close. Each builds DOM and sends frames through
// the conversation view; none of them ever shows anything to the customer by itself.

import { el, replace, uuid, formatTime } from "../shared/dom.js";
import { RESOLUTIONS, TEAMS } from "./canned.js";

/** The assistant's prepared reply (assistance tier): nothing reaches the customer until the agent decides. */
export function renderDraft(view, draft) {
  const original = String(draft.reply || "");
  const text = el("textarea", { id: `draft-${view.id}`, rows: 3, maxlength: 2000 });
  text.value = original;
  const box = el("section", { class: "draft", "aria-labelledby": `draft-h-${view.id}` });
  const decide = (decision) => {
    const frame = { type: "draft", decision };
    if (decision === "edit") frame.text = text.value.trim();
    view.send(frame);
    const words = { approve: "approved and sent", edit: "edited and sent", reject: "rejected; nothing was sent" };
    replace(box, el("p", { class: "draft-done", role: "status" }, `Draft ${words[decision]}.`));
  };
  const editBtn = el("button", { type: "button", class: "btn", disabled: true, onclick: () => decide("edit") }, "Send my edit");
  text.addEventListener("input", () => { editBtn.disabled = !text.value.trim() || text.value === original; });
  return replace(box,
    el("h3", { id: `draft-h-${view.id}` }, "Draft from the assistant: not sent yet"),
    el("label", { for: text.id }, "Reply the assistant prepared"),
    text,
    draft.action ? el("details", {}, el("summary", {}, "Prepared request"), el("pre", {}, JSON.stringify(draft.action, null, 2))) : null,
    el("div", { class: "row" },
      el("button", { type: "button", class: "btn btn-primary", onclick: () => decide("approve") }, "Approve as is"),
      editBtn,
      el("button", { type: "button", class: "btn btn-danger", onclick: () => decide("reject") }, "Reject")));
}

/** Private notes: visible to agents only, kept with the conversation. */
export function renderNotes(view) {
  const list = el("ul", { class: "notes-list" });
  const input = el("textarea", { id: `note-${view.id}`, rows: 2, maxlength: 2000 });
  const form = el("form", { class: "note-form" },
    el("label", { for: input.id }, "Add a private note (never shown to the customer)"), input,
    el("button", { type: "submit", class: "btn" }, "Save note"));
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    view.send({ type: "note", client_id: uuid(), text });
    input.value = "";
  });
  const root = el("section", { class: "box notes", "aria-labelledby": `notes-h-${view.id}` },
    el("h3", { id: `notes-h-${view.id}` }, "Private notes"), list, form);
  return {
    root,
    add(note) {
      list.appendChild(el("li", {}, el("span", { class: "author" }, String(note.author || "Agent")), " ",
        el("span", { class: "meta" }, formatTime(note.ts)), el("p", {}, String(note.text ?? ""))));
    },
  };
}

function disclosure(title, form) {
  return el("details", { class: "tool" }, el("summary", {}, title), form);
}

/** Hand back, transfer and close, each a small form behind a disclosure. */
export function renderActions(view) {
  const id = (name) => `${name}-${view.id}`;

  const outcome = el("textarea", { id: id("outcome"), rows: 2, maxlength: 1000, required: true });
  const handback = el("form", {},
    el("label", { for: outcome.id }, "Outcome note (the assistant tells the customer)"), outcome,
    el("button", { type: "submit", class: "btn" }, "Hand back to the assistant"));
  handback.addEventListener("submit", (ev) => {
    ev.preventDefault();
    if (outcome.value.trim()) view.send({ type: "handback", outcome: outcome.value.trim() });
  });

  const team = el("select", { id: id("team") }, el("option", { value: "" }, "— choose a team —"), TEAMS.map((t) => el("option", { value: t }, t)));
  const agent = el("input", { id: id("to-agent"), maxlength: 100, placeholder: "username" });
  const note = el("textarea", { id: id("transfer-note"), rows: 2, maxlength: 1000 });
  const transferError = el("p", { class: "error", role: "alert" });
  const transfer = el("form", {},
    el("label", { for: team.id }, "To a team"), team,
    el("label", { for: agent.id }, "or to an agent"), agent,
    el("label", { for: note.id }, "Note for the next agent"), note, transferError,
    el("button", { type: "submit", class: "btn" }, "Transfer"));
  transfer.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const frame = { type: "transfer", note: note.value.trim() };
    if (agent.value.trim()) frame.to_agent = agent.value.trim();
    else if (team.value) frame.to_team = team.value;
    else { transferError.textContent = "Choose a team or an agent."; return; }
    transferError.textContent = "";
    view.send(frame);
  });

  const resolution = el("select", { id: id("resolution") }, RESOLUTIONS.map((r) => el("option", { value: r.value }, r.label)));
  const label = renderLabel(view, id);
  const close = el("form", {},
    el("label", { for: resolution.id }, "Resolution"), resolution,
    label.root,
    el("button", { type: "submit", class: "btn btn-danger" }, "Close conversation"));
  close.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const wanted = label.value();
    if (wanted === null) return;
    view.send({ type: "close", resolution: resolution.value, ...wanted });
  });
  const closeTool = disclosure("Close with a resolution", close);
  // The customer's messages so far, listed afresh each time the form is opened.
  closeTool.addEventListener("toggle", () => { if (closeTool.open) label.refresh(); });

  return el("div", { class: "tools" },
    disclosure("Hand back to the assistant", handback),
    disclosure("Transfer", transfer),
    closeTool);
}

// An intent name as the assistant spells them (handoff/frames.py checks the same).
const INTENT_NAME = /^[a-z][a-z0-9_]{0,63}$/;

/**
 * The learning loop at close: what the customer actually wanted (one of the assistant's
 * intents from the context, or a new name) and the messages the assistant misunderstood.
 * `value()` is the frame's optional fields, or null (with the reason shown) when unusable.
 */
function renderLabel(view, id) {
  const intents = (Array.isArray(view.context.intents) ? view.context.intents : []).filter((i) => typeof i === "string");
  const input = el("input", { id: id("intent"), list: id("intents"), maxlength: 64, autocomplete: "off", spellcheck: "false" });
  const marks = el("div", { class: "marks" });
  const error = el("p", { class: "error", role: "alert" });
  input.addEventListener("input", () => { error.textContent = ""; });
  const root = el("fieldset", { class: "label" },
    el("legend", {}, "Teach the assistant (optional)"),
    el("label", { for: input.id }, "What the customer actually wanted (an intent, or a new name)"), input,
    el("datalist", { id: id("intents") }, intents.map((name) => el("option", { value: name }))),
    marks, error);
  const refresh = () => {
    const messages = view.customerMessages || [];
    replace(marks, el("p", { class: "muted" }, messages.length ? "Messages the assistant misunderstood:" : "No messages from the customer yet."),
      messages.map((m) => el("label", { class: "mark" },
        el("input", { type: "checkbox", value: String(m.seq), dataset: { seq: String(m.seq) } }), " ", String(m.text))));
  };
  const value = () => {
    const intent = input.value.trim();
    const seqs = [...marks.querySelectorAll("input[type=checkbox]:checked")].map((box) => Number(box.value));
    error.textContent = "";
    if (!intent && !seqs.length) return {};
    if (!intent) { error.textContent = "Say what the customer wanted for the marked messages."; return null; }
    if (!INTENT_NAME.test(intent)) { error.textContent = "Use lowercase letters, digits and _ (e.g. start_return)."; return null; }
    return seqs.length ? { intent, misunderstood: seqs } : { intent };
  };
  return { root, refresh, value };
}
