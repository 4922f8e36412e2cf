// The customer side of docs/protocol.md: hello/resume, replay of missed history, the outbox
// that makes offline sends go out exactly once, acks, and the frames the UI needs. No DOM here.

import { ReconnectingSocket, wsUrl } from "../shared/socket.js";
import { uuid } from "../shared/dom.js";

export class ChatSession {
  /** @param {import("./store.js").ChatStore} store @param {object} ui callbacks, see main.js */
  constructor(store, ui) {
    this.store = store;
    this.ui = ui;
    this.customerToken = null;
    this.controls = []; // request_agent / continue_with_bot / csat waiting for a connection
    this.ready = false; // true between `welcome` and the next close
    this.replay = null;
    this.ackTimer = null;
    this.socket = new ReconnectingSocket(wsUrl("/ws/customer"), {
      onopen: () => this.hello(),
      onframe: (frame) => this.handle(frame),
      onclose: (info) => this.closed(info),
    });
  }

  start(customerToken) {
    this.customerToken = customerToken || null;
    this.ui.onConnection("connecting");
    this.socket.start();
  }

  /** A different signed-in identity: forget the conversation and start a new one. */
  restart(customerToken) {
    this.socket.stop();
    this.ready = false;
    this.store.reset();
    this.ui.onReset();
    this.start(customerToken);
  }

  hello() {
    const s = this.store.state;
    this.socket.send({
      type: "hello", conversation_id: s.conversationId, resume_token: s.resumeToken,
      last_seq: s.lastSeq, customer_token: this.customerToken,
    });
  }

  handle(frame) {
    switch (frame.type) {
      case "welcome": return this.welcome(frame);
      case "message":
      case "event": return this.history(frame);
      case "ack": return this.acked(frame.client_id);
      case "typing": return this.ui.onTyping(frame.sender, Boolean(frame.on));
      case "queue": return this.ui.onQueue(frame);
      case "error": return this.error(frame);
      case "pong": return undefined;
      default:
        console.warn("northwind: ignored unknown frame type", frame.type);
        return undefined;
    }
  }

  welcome(frame) {
    const s = this.store.state;
    const resumed = s.conversationId !== null && s.conversationId === frame.conversation_id;
    if (!resumed && s.conversationId !== null) this.ui.onReset();
    this.store.setConversation(frame.conversation_id, frame.resume_token);
    const serverLast = Number(frame.last_seq) || 0;
    // Frames between what we have and the server's last seq are the ones we missed.
    this.replay = resumed && serverLast > s.lastSeq ? { until: serverLast, count: 0 } : null;
    this.ready = true;
    this.setOwner(frame.owner, frame.agent_name);
    this.ui.onConnection("online", { resumed });
    if (!this.replay) this.ui.onReplayDone(0);
    for (const f of this.store.state.outbox) this.socket.send(f);
    const controls = this.controls.splice(0);
    for (const c of controls) this.socket.send(c);
  }

  history(frame) {
    const missed = this.replay !== null && frame.seq <= this.replay.until;
    if (!this.store.addHistory(frame)) return;
    if (frame.type === "message" && frame.client_id) this.store.acknowledged(frame.client_id);
    if (missed) this.replay.count += 1;
    if (frame.type === "event" && frame.owner) this.setOwner(frame.owner, frame.agent_name);
    this.ui.onHistory(frame, { missed, firstMissed: missed && this.replay.count === 1 });
    if (this.replay && frame.seq >= this.replay.until) {
      this.ui.onReplayDone(this.replay.count);
      this.replay = null;
    }
    this.scheduleAck();
  }

  setOwner(owner, agentName) {
    if (typeof owner !== "string") return;
    this.store.setOwner(owner, agentName);
    this.ui.onOwner(owner, agentName || null);
  }

  scheduleAck() {
    clearTimeout(this.ackTimer);
    this.ackTimer = setTimeout(() => this.socket.send({ type: "ack", seq: this.store.state.lastSeq }), 200);
  }

  acked(clientId) {
    if (typeof clientId !== "string") return;
    this.store.acknowledged(clientId);
    this.ui.onAck(clientId);
  }

  error(frame) {
    console.warn("northwind: server refused a frame", frame.code, frame.message);
    if (typeof frame.ref === "string") {
      // A refused message would be refused again: drop it from the outbox instead of retrying.
      this.store.acknowledged(frame.ref);
      this.ui.onFailed(frame.ref);
    }
    this.ui.onError(frame);
  }

  closed({ code, willRetry, delay }) {
    this.ready = false;
    this.replay = null;
    if (code === 4003) {
      // The stored resume token is not valid for that conversation: start a fresh one.
      this.store.reset();
      this.ui.onReset();
      this.ui.onConnection("connecting");
      this.socket.start();
      return;
    }
    if (code === 4409) return this.ui.onConnection("replaced");
    if (!willRetry) return this.ui.onConnection("failed");
    this.ui.onConnection("offline", { delay });
  }

  /** Sends now or keeps for later; returns the frame so the UI can show it as pending. */
  queue(frame) {
    this.store.queue(frame);
    if (this.ready) this.socket.send(frame);
    return frame;
  }

  sendMessage(text) {
    return this.queue({ type: "message", client_id: uuid(), text });
  }

  pickButton(button) {
    return this.queue({ type: "button", client_id: uuid(), title: button.title, payload: button.payload });
  }

  sendContact(contact) {
    const frame = { type: "contact", client_id: uuid(), name: contact.name };
    // The service refuses a blank note: an empty "What is it about?" is left out.
    if (contact.note) frame.note = contact.note;
    if (contact.email) frame.email = contact.email;
    if (contact.phone) frame.phone = contact.phone;
    return this.queue(frame);
  }

  control(frame) {
    if (this.ready) this.socket.send(frame);
    else this.controls.push(frame);
  }

  requestAgent() { this.control({ type: "request_agent" }); }
  continueWithBot() { this.control({ type: "continue_with_bot" }); }
  /** `part`: "assistant" for the assistant's rating; the person's is the default. */
  sendCsat(score, comment, part) {
    const frame = { type: "csat", score };
    if (comment) frame.comment = comment;
    if (part) frame.part = part;
    this.control(frame);
  }

  typing(on) {
    if (this.ready) this.socket.send({ type: "typing", on });
  }

  isOnline() { return this.ready; }
  retryNow() { this.socket.retryNow(); }
  takeOver() { this.ui.onConnection("connecting"); this.socket.start(); }
}
