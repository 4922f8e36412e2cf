// The customer chat's screen: keeps the log, header, queue panel, typing line, quick replies
// and forms in step with the session's callbacks, and turns user input into session calls.

import { el, replace } from "../shared/dom.js";
import { renderHistoryFrame, renderMessage, renderMissedDivider, renderQuickReplies, speakerFor, queueSentence } from "./view.js";
import { assistantRatingForm, contactForm, csatForm, thanks } from "./forms.js";

const $ = (id) => document.getElementById(id);
const keyboardFocusIn = (node) => node.contains(document.activeElement) && document.activeElement.matches(":focus-visible");

export class ChatUI {
  constructor(store, { onUnread }) {
    this.store = store;
    this.session = null;
    this.onUnread = onUnread;
    this.typingTimer = null;
    this.localTypingTimer = null;
    this.localTyping = false;
    this.log = $("log");
    this.notice = $("ai-notice");
  }

  attach(session) {
    this.session = session;
    this.renderAll();
    $("composer").addEventListener("submit", (ev) => { ev.preventDefault(); this.submit(); });
    const input = $("input");
    input.addEventListener("keydown", (ev) => {
      // Enter sends, Shift+Enter adds a line, as in most chat apps.
      if (ev.key === "Enter" && !ev.shiftKey && !ev.isComposing) { ev.preventDefault(); this.submit(); }
    });
    input.addEventListener("input", () => { this.autoGrow(); this.noteTyping(); });
    $("human").addEventListener("click", () => this.session.requestAgent());
    $("continue-bot").addEventListener("click", () => this.session.continueWithBot());
  }

  /** Draws everything from storage: used at start-up and after a reset. */
  renderAll() {
    replace(this.log, this.notice);
    for (const frame of this.store.state.history) this.appendNode(renderHistoryFrame(frame));
    for (const frame of this.store.state.outbox) this.showPending(frame);
    this.onOwner(this.store.state.owner, this.store.state.agentName);
    this.refreshQuickReplies();
    this.refreshForms();
  }

  submit() {
    const input = $("input");
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    this.autoGrow();
    this.stopTyping();
    this.showPending(this.session.sendMessage(text));
  }

  showPending(frame) {
    if (frame.type !== "message" && frame.type !== "button") return;
    const text = frame.type === "message" ? frame.text : frame.title;
    const node = renderMessage({ sender: "customer", author: "You", text, client_id: frame.client_id },
      { pending: this.session && this.session.isOnline() ? "sending" : "offline" });
    node.classList.add("pending");
    this.appendNode(node);
  }

  noteTyping() {
    if (!this.localTyping) { this.localTyping = true; this.session.typing(true); }
    clearTimeout(this.localTypingTimer);
    this.localTypingTimer = setTimeout(() => this.stopTyping(), 3000);
  }

  stopTyping() {
    clearTimeout(this.localTypingTimer);
    if (this.localTyping) { this.localTyping = false; this.session.typing(false); }
  }

  autoGrow() {
    const input = $("input");
    input.style.height = "auto";
    input.style.height = `${Math.min(input.scrollHeight, 120)}px`;
  }

  appendNode(node) {
    if (!node) return;
    const pending = this.log.querySelector("li.pending");
    // Confirmed history goes above messages that are still on their way.
    if (pending && !node.classList.contains("pending")) this.log.insertBefore(node, pending);
    else this.log.appendChild(node);
    this.log.scrollTop = this.log.scrollHeight;
  }

  // ---- session callbacks ----

  onHistory(frame, { firstMissed }) {
    if (frame.client_id) this.removePending(frame.client_id);
    if (firstMissed) this.appendNode(renderMissedDivider(Math.max(1, (this.session.replay?.until ?? frame.seq) - frame.seq + 1)));
    this.appendNode(renderHistoryFrame(frame));
    if (frame.type === "message" && frame.sender !== "customer") { this.onTyping(frame.sender, false); this.onUnread(); }
    if (frame.type === "event") this.onUnread();
    this.refreshQuickReplies();
    this.refreshForms();
  }

  onReplayDone(count) {
    if (count > 0) this.announce(`Back online. You missed ${count} ${count === 1 ? "message" : "messages"}; they are marked in the conversation.`);
  }

  onAck(clientId) {
    const node = this.log.querySelector(`li.pending[data-client-id="${CSS.escape(clientId)}"] .meta`);
    if (node) node.textContent = "Sent";
  }

  onFailed(clientId) {
    const node = this.log.querySelector(`li.pending[data-client-id="${CSS.escape(clientId)}"]`);
    if (!node) return;
    node.classList.replace("pending", "failed");
    node.querySelector(".meta").textContent = "Not delivered";
  }

  removePending(clientId) {
    const node = this.log.querySelector(`li.pending[data-client-id="${CSS.escape(clientId)}"]`);
    if (node) node.remove();
  }

  onError(frame) {
    this.appendNode(el("li", { class: "event event-error" }, el("p", {}, String(frame.message || "Something went wrong."))));
  }

  onOwner(owner, agentName) {
    const who = speakerFor(owner, agentName);
    $("speaker").textContent = who.name;
    const badge = $("speaker-kind");
    badge.hidden = !who.badge;
    badge.textContent = who.badge || "";
    badge.className = `badge ${who.badge === "AI" ? "badge-ai" : "badge-person"}`;
    $("queue").hidden = owner !== "queue";
    // Asking for a person again while one is already here or on the way makes no sense.
    $("human").hidden = owner === "queue" || owner === "agent";
    if (owner !== "queue") $("queue-text").textContent = "";
    else if (!$("queue-text").textContent) $("queue-text").textContent = "Finding a person for you…";
    this.refreshQuickReplies();
    this.refreshForms();
  }

  onQueue(q) {
    if (typeof q.position !== "number") return;
    $("queue-text").textContent = queueSentence(q);
  }

  onTyping(sender, on) {
    const line = $("typing");
    clearTimeout(this.typingTimer);
    if (!on) { line.hidden = true; return; }
    const who = sender === "agent" ? (this.store.state.agentName || "The agent") : "The assistant";
    line.textContent = `${who} is typing…`;
    line.hidden = false;
    // A lost "off" frame must not leave the indicator on forever.
    this.typingTimer = setTimeout(() => { line.hidden = true; }, 15000);
  }

  onConnection(state, info = {}) {
    const conn = $("conn");
    const messages = {
      connecting: "Connecting…",
      offline: `Connection lost. Reconnecting in ${Math.ceil((info.delay || 0) / 1000)} s… Messages you send now will go out when you are back.`,
      replaced: "This chat is open in another tab or window.",
      failed: "The chat is unavailable right now. Please reload the page later.",
    };
    conn.hidden = state === "online";
    replace(conn, messages[state] || "");
    conn.dataset.state = state;
    if (state === "replaced") conn.appendChild(el("button", { type: "button", class: "btn btn-ghost", onclick: () => this.session.takeOver() }, "Use it here"));
    if (state === "offline" && info.delay > 2000) conn.appendChild(el("button", { type: "button", class: "btn btn-ghost", onclick: () => this.session.retryNow() }, "Retry now"));
    if (state === "online") for (const n of this.log.querySelectorAll("li.pending .meta")) n.textContent = "Sending…";
    if (state === "offline") {
      // Whoever was typing may have stopped while we could not hear it.
      this.onTyping(null, false);
      this.announce("Connection lost. Reconnecting…");
    }
  }

  onReset() {
    this.renderAll();
  }

  announce(text) {
    const a = $("announcer");
    a.textContent = "";
    // A fresh text node after clearing makes screen readers announce repeated sentences too.
    setTimeout(() => { a.textContent = text; }, 50);
  }

  // ---- derived panels ----

  refreshQuickReplies() {
    const quick = $("quick");
    const last = this.store.state.history.at(-1);
    const buttons = this.store.state.owner === "bot" && last && last.type === "message" && last.sender === "bot" && Array.isArray(last.buttons) ? last.buttons : [];
    const key = buttons.length ? String(last.seq) : "";
    // Rebuilding the same buttons would throw away keyboard focus, so only redraw on change.
    if (quick.dataset.key === key) return;
    // Buttons already answered stay gone until a newer bot message brings new ones.
    if (key && quick.dataset.picked === key) return;
    // A keyboard user on a suggested reply that is about to go must not be dropped to the page:
    // focus goes to the first new suggestion, or to the message box when none comes. A tap or a
    // click leaves focus alone, so a phone does not open its keyboard over the chat.
    const focused = keyboardFocusIn(quick);
    quick.dataset.key = key;
    replace(quick, renderQuickReplies(buttons, (b) => {
      const picked = keyboardFocusIn(quick);
      quick.dataset.key = "";
      quick.dataset.picked = key;
      replace(quick);
      quick.hidden = true;
      if (picked) $("input").focus();
      this.showPending(this.session.pickButton(b));
    }));
    quick.hidden = buttons.length === 0;
    if (focused) (quick.querySelector("button") || $("input")).focus();
  }

  /** Shows the contact or CSAT form if the latest relevant event asks for it and it is unanswered. */
  refreshForms() {
    this.refreshAssistantRating();
    const forms = $("forms");
    const s = this.store.state;
    const lastSeqOf = (name) => s.history.reduce((m, f) => (f.type === "event" && f.event === name ? f.seq : m), 0);
    const offer = lastSeqOf("offer_contact");
    // The person's rating (a request without a part is from before ratings had parts).
    const csat = s.history.reduce((m, f) => (f.type === "event" && f.event === "csat_request" && f.part !== "assistant" ? f.seq : m), 0);
    const done = s.formsDone || {};
    if (csat && done.csat !== csat) {
      if (forms.dataset.showing === `csat-${csat}`) return;
      forms.dataset.showing = `csat-${csat}`;
      replace(forms, csatForm(
        ({ score, comment }) => { this.session.sendCsat(score, comment); this.formDone("csat", csat, "Thank you for your rating!"); },
        () => this.formDone("csat", csat, null)));
    } else if (offer > lastSeqOf("contact_saved") && done.contact !== offer && s.owner !== "agent") {
      if (forms.dataset.showing === `contact-${offer}`) return;
      forms.dataset.showing = `contact-${offer}`;
      const offered = s.history.find((f) => f.type === "event" && f.seq === offer) || {};
      replace(forms, contactForm(
        (contact) => { this.session.sendContact(contact); this.formDone("contact", offer, "Thanks, we will get back to you."); },
        () => this.formDone("contact", offer, null), offered.urgent === true, offered.callback === true));
    } else if (!forms.querySelector(".thanks")) {
      forms.dataset.showing = "";
      replace(forms);
    }
  }

  /** The assistant's rating: its own small card beside the chat, asked once, never blocking. */
  refreshAssistantRating() {
    const box = $("rate-assistant");
    const s = this.store.state;
    const asked = s.history.reduce((m, f) => (f.type === "event" && f.event === "csat_request" && f.part === "assistant" ? f.seq : m), 0);
    const done = (s.formsDone || {}).assistant;
    if (!asked || done === asked) {
      if (!box.querySelector(".thanks")) replace(box);
      return;
    }
    if (box.dataset.showing === String(asked)) return;
    box.dataset.showing = String(asked);
    const finish = (text) => {
      this.store.state.formsDone = { ...(this.store.state.formsDone || {}), assistant: asked };
      this.store.save();
      box.dataset.showing = "";
      replace(box, text ? thanks(text) : null);
      $("input").focus();
    };
    replace(box, assistantRatingForm(
      (score) => { this.session.sendCsat(score, null, "assistant"); finish("Thanks for rating the assistant."); },
      () => finish(null)));
  }

  formDone(kind, seq, thanksText) {
    this.store.state.formsDone = { ...(this.store.state.formsDone || {}), [kind]: seq };
    this.store.save();
    const forms = $("forms");
    forms.dataset.showing = "";
    replace(forms, thanksText ? thanks(thanksText) : null);
    $("input").focus();
  }
}
