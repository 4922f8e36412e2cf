// Keeps the customer's conversation in localStorage: ids to resume, the history shown so far,
// and the outbox of messages not yet acknowledged, so a reload keeps everything and an
// offline message goes out exactly once (the server dedupes by client_id).

const KEY = "northwind-chat.v1";
const MAX_HISTORY = 500;

function empty() {
  return { conversationId: null, resumeToken: null, lastSeq: 0, owner: "bot", agentName: null, history: [], outbox: [], open: false, formsDone: {}, identity: null };
}

export class ChatStore {
  constructor(storage = window.localStorage) {
    this.storage = storage;
    this.state = this.load();
  }

  load() {
    try {
      const raw = this.storage.getItem(KEY);
      const data = raw ? JSON.parse(raw) : null;
      if (data && Array.isArray(data.history) && Array.isArray(data.outbox)) return { ...empty(), ...data };
    } catch (err) {
      console.warn("northwind: stored chat unreadable, starting fresh", err);
    }
    return empty();
  }

  save() {
    try {
      this.storage.setItem(KEY, JSON.stringify(this.state));
    } catch (err) {
      // Storage full or blocked (private mode): the chat still works, it just won't survive a reload.
      console.warn("northwind: could not save chat", err);
    }
  }

  /** Forgets the conversation (new identity, or the server refused our resume token). */
  reset() {
    const { open, identity } = this.state;
    this.state = { ...empty(), open, identity };
    this.save();
  }

  setConversation(conversationId, resumeToken) {
    if (this.state.conversationId !== conversationId) {
      // A different conversation: the old history belongs to someone else's session.
      const { outbox, open, identity } = this.state;
      this.state = { ...empty(), outbox, open, identity };
    }
    this.state.conversationId = conversationId;
    this.state.resumeToken = resumeToken;
    this.save();
  }

  /** Adds a history frame; returns false if its seq was already seen. */
  addHistory(frame) {
    if (typeof frame.seq !== "number" || frame.seq <= this.state.lastSeq) return false;
    this.state.history.push(frame);
    if (this.state.history.length > MAX_HISTORY) this.state.history.splice(0, this.state.history.length - MAX_HISTORY);
    this.state.lastSeq = frame.seq;
    this.save();
    return true;
  }

  setOwner(owner, agentName) {
    this.state.owner = owner;
    this.state.agentName = agentName || null;
    this.save();
  }

  setOpen(open) {
    this.state.open = open;
    this.save();
  }

  queue(frame) {
    this.state.outbox.push(frame);
    this.save();
  }

  /** Drops an outbox entry once the server has stored it. */
  acknowledged(clientId) {
    const before = this.state.outbox.length;
    this.state.outbox = this.state.outbox.filter((f) => f.client_id !== clientId);
    if (this.state.outbox.length !== before) this.save();
  }
}
