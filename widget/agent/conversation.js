// One claimed conversation in the console: its context column and its live chat (log,
// typing line, suggested replies, composer with canned replies). Owns its DOM so switching
// conversations keeps half-typed text. Sends frames through the `send` function it is given.

import { el, replace, uuid, formatTime } from "../shared/dom.js";
import { renderIdentity, renderBanner, renderSummary, renderSentiment, renderFacts, renderTurns } from "./context.js";
import { renderDraft, renderNotes, renderActions } from "./actions.js";
import { CANNED_REPLIES } from "./canned.js";
import { guestName } from "./mine.js";
import { renderSuggestions } from "./suggestions.js";

const PLACEHOLDER = /\[[A-Z]+_\d+\]/g;

export class ConversationView {
  constructor(assigned, send, onChange = () => {}) {
    this.onChange = onChange; // the sidebar shows typing and the time of the last message
    this.id = assigned.conversation_id;
    this.send = (frame) => send({ ...frame, conversation_id: this.id });
    this.context = assigned.context || {};
    this.earlier = Array.isArray(assigned.earlier) ? assigned.earlier : [];
    this.recontact = assigned.recontact || null; // the earlier conversation this came back about
    this.seen = new Set();
    this.revealed = new Map();
    this.typingTimer = null;
    this.localTyping = null;
    this.released = null;
    // The customer's messages ({seq, text}), for marking what the assistant misunderstood.
    this.customerMessages = [];
    this.lastCustomerAt = null; // ms; the sidebar orders and labels conversations by it
    this.customerTyping = false;
    this.suggestion = null; // the suggested reply the reply box began as, while it is kept
    this.build();
    this.load(assigned);
  }

  get customerName() {
    const c = this.context.customer || {};
    return c.name ? String(c.name) : guestName(this.id);
  }

  build() {
    const ctx = this.context;
    this.log = el("ol", { class: "log", role: "log", "aria-live": "polite", "aria-label": "Live chat", tabindex: "0" });
    this.typingLine = el("p", { class: "typing", hidden: true });
    this.status = el("p", { class: "status", role: "status", hidden: true });
    this.reveals = el("div", { class: "reveals" });
    this.notes = renderNotes(this);
    this.input = el("textarea", { id: `reply-${this.id}`, rows: 3, maxlength: 2000, placeholder: "Write to the customer…" });
    this.input.addEventListener("input", () => {
      if (!this.input.value.trim()) this.suggestion = null; // cleared: no longer that suggestion
      this.noteTyping();
    });
    this.suggestions = renderSuggestions(this);
    this.input.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter" && !ev.shiftKey && !ev.isComposing) { ev.preventDefault(); this.submit(); }
    });
    const canned = el("select", { "aria-label": "Insert a canned reply" },
      el("option", { value: "" }, "Canned replies…"),
      CANNED_REPLIES.map((c, i) => el("option", { value: String(i) }, c.label)));
    canned.addEventListener("change", () => {
      const c = CANNED_REPLIES[Number(canned.value)];
      if (c) { this.input.value = this.input.value ? `${this.input.value} ${c.text}` : c.text; this.input.focus(); }
      canned.value = "";
    });
    this.composer = el("form", { class: "composer" },
      el("label", { for: this.input.id, class: "sr-only" }, `Reply to ${this.customerName}`),
      this.input,
      el("div", { class: "composer-row" }, canned, el("button", { type: "submit", class: "btn btn-primary" }, "Send")));
    this.composer.addEventListener("submit", (ev) => { ev.preventDefault(); this.submit(); });

    this.root = el("article", { class: "conv", dataset: { conversationId: this.id }, "aria-label": `Conversation with ${this.customerName}` },
      el("div", { class: "conv-context" },
        renderIdentity(ctx, this.customerName, this.earlier, this.recontact), renderBanner(ctx), renderSummary(ctx), renderSentiment(ctx), renderFacts(ctx),
        this.reveals, renderTurns(ctx), this.notes.root),
      el("div", { class: "conv-chat" },
        el("h2", {}, `Chat with ${this.customerName}`),
        ctx.draft && ctx.draft.reply ? renderDraft(this, ctx.draft) : null,
        this.status, this.log, this.typingLine, this.suggestions.root, this.composer, renderActions(this)));
  }

  load(assigned) {
    for (const frame of assigned.transcript || []) this.addFrame(frame);
    for (const note of assigned.notes || []) this.notes.add(note);
  }

  /** A `message` or `event` frame of this conversation (transcript or live). */
  addFrame(frame) {
    if (typeof frame.seq === "number") {
      if (this.seen.has(frame.seq)) return false;
      this.seen.add(frame.seq);
    }
    if (frame.client_id) this.log.querySelector(`li.pending[data-client-id="${CSS.escape(frame.client_id)}"]`)?.remove();
    if (frame.type === "event") {
      this.log.appendChild(el("li", { class: "event" }, el("p", {}, String(frame.text || frame.event || ""))));
    } else {
      this.log.appendChild(this.messageNode(frame));
      if (frame.sender === "customer") {
        this.onTyping(false);
        const at = Date.parse(frame.ts);
        this.lastCustomerAt = Number.isNaN(at) ? Date.now() : at;
        if (typeof frame.seq === "number") this.customerMessages.push({ seq: frame.seq, text: String(frame.text ?? "") });
      }
    }
    this.findPlaceholders(String(frame.text || ""));
    this.log.scrollTop = this.log.scrollHeight;
    return frame.sender === "customer";
  }

  messageNode(frame, pending = false) {
    const sender = ["customer", "bot", "agent", "system"].includes(frame.sender) ? frame.sender : "system";
    return el("li", { class: `msg from-${sender}${pending ? " pending" : ""}`, dataset: { clientId: frame.client_id || "" } },
      el("span", { class: "author" }, sender === "customer" ? this.customerName : authorLabel(frame.author, sender)),
      el("p", { class: "text" }, String(frame.text ?? "")),
      el("span", { class: "meta" }, pending ? "Sending…" : formatTime(frame.ts)));
  }

  submit() {
    const text = this.input.value.trim();
    if (!text || this.released) return;
    const client_id = uuid();
    const frame = { type: "message", client_id, text };
    if (this.suggestion) frame.suggestion = this.suggestion.id;
    this.send(frame);
    this.suggestion = null;
    this.log.appendChild(this.messageNode({ sender: "agent", author: "You", text, client_id }, true));
    this.log.scrollTop = this.log.scrollHeight;
    this.input.value = "";
    this.stopTyping();
  }

  noteTyping() {
    if (!this.localTyping) this.send({ type: "typing", on: true });
    clearTimeout(this.localTyping);
    this.localTyping = setTimeout(() => this.stopTyping(), 3000);
  }

  stopTyping() {
    if (this.localTyping) { clearTimeout(this.localTyping); this.localTyping = null; this.send({ type: "typing", on: false }); }
  }

  /** One click on a suggestion: into the reply box to edit; the agent still presses Send. */
  useSuggestion(item) {
    if (this.released || !item) return;
    this.input.value = String(item.text);
    this.suggestion = item;
    this.input.focus();
    this.input.setSelectionRange(this.input.value.length, this.input.value.length);
  }

  /** Opens the close form with its resolution chosen by the agent (Alt+C). */
  startClose() {
    const tool = [...this.root.querySelectorAll("details.tool")].find((d) => d.querySelector(`#resolution-${CSS.escape(this.id)}`));
    if (!tool || this.released) return;
    tool.open = true;
    tool.querySelector("select").focus();
  }

  onTyping(on) {
    clearTimeout(this.typingTimer);
    this.customerTyping = on;
    this.typingLine.hidden = !on;
    this.typingLine.textContent = on ? `${this.customerName} is typing…` : "";
    if (on) this.typingTimer = setTimeout(() => { this.typingLine.hidden = true; this.customerTyping = false; this.onChange(); }, 15000);
    this.onChange();
  }

  /** Offers a Reveal button for each redacted placeholder (e.g. [EMAIL_1]) seen so far. */
  findPlaceholders(text) {
    for (const p of text.match(PLACEHOLDER) || []) {
      if (this.revealed.has(p)) continue;
      const value = el("span", { class: "revealed" });
      this.revealed.set(p, value);
      this.reveals.appendChild(el("p", {}, el("code", {}, p), " ",
        el("button", { type: "button", class: "btn btn-small", onclick: (ev) => { ev.target.disabled = true; this.send({ type: "reveal", placeholder: p }); } }, `Reveal ${p}`), " ", value));
    }
    if (this.revealed.size && !this.reveals.querySelector("h3")) this.reveals.prepend(el("h3", {}, "Hidden personal data"));
  }

  onRevealed(placeholder, value) {
    const node = this.revealed.get(placeholder);
    if (node) node.textContent = `= ${String(value)}`;
  }

  /** The conversation left this agent (closed, handed back, transferred): read-only from now. */
  release(reason) {
    this.released = reason;
    this.stopTyping();
    const words = { closed: "closed", handed_back: "handed back to the assistant", transferred: "transferred" };
    replace(this.status, `This conversation was ${words[reason] || String(reason)}. It is read-only now.`);
    this.status.hidden = false;
    for (const node of this.root.querySelectorAll(".conv-chat textarea, .conv-chat button, .conv-chat select, .conv-chat input")) node.disabled = true;
  }
}

/** The bot is always labelled as an AI, whatever display name the server gives it. */
function authorLabel(author, sender) {
  const name = String(author || sender);
  return sender === "bot" && !/\bAI\b/.test(name) ? `${name} (AI)` : name;
}
