// Starts the agent console: sign-in, the agent websocket (docs/protocol.md, "Agent API"),
// and routing of server frames to the queue and to each claimed conversation's view.

import { el, replace } from "../shared/dom.js";
import { ReconnectingSocket, wsUrl } from "../shared/socket.js";
import { QueueView } from "./queue.js";
import { renderRoster } from "./roster.js";
import { ConversationView } from "./conversation.js";
import { sessionEnding, keepDrafts, takeDraft } from "./session.js";
import { alertAgent, unlockSound, canNotify, askPermission, setTitleCount } from "./notify.js";
import { renderMine as renderList, refreshTimes, ordered } from "./mine.js";
import { installKeys } from "./keys.js";

const $ = (id) => document.getElementById(id);
const SESSION_KEY = "northwind-agent.session";
const views = new Map();
let selected = null;
let socket = null;
let available = true;
let claimed = null; // the conversation this agent just asked for
// Messages and notes not yet acknowledged; resent after a reconnect (a frame can die with the
// connection), and the server stores each client_id once, so nothing is lost or doubled.
const outbox = new Map();

function send(frame) {
  if (frame.client_id) outbox.set(frame.client_id, frame);
  if (socket) socket.send(frame);
}

const queue = new QueueView($("queue"), $("queue-count"), $("agents-online"), (conversationId) => {
  claimed = conversationId;
  socket.send({ type: "claim", conversation_id: conversationId });
});

function announce(text) {
  $("announcer").textContent = text;
}

// ---- sign-in ----

$("login").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  unlockSound();
  $("login-error").textContent = "";
  try {
    const res = await fetch("/api/agent/login", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ username: $("username").value.trim(), password: $("password").value }),
    });
    const body = await res.json().catch(() => ({}));
    if (!res.ok) {
      $("login-error").textContent = res.status === 401 ? "Wrong username or password." : String(body.message || "Sign-in failed.");
      return;
    }
    sessionStorage.setItem(SESSION_KEY, JSON.stringify({ token: body.token, agent: body.agent }));
    $("password").value = "";
    startDesk();
  } catch (err) {
    $("login-error").textContent = "The service cannot be reached. Try again in a moment.";
    console.warn("northwind: login failed", err);
  }
});

function signOut(message, { keep = false } = {}) {
  if (keep) keepDrafts(sessionStorage, [...views].map(([id, view]) => [id, view.input.value]));
  if (socket) socket.stop();
  socket = null;
  outbox.clear();
  sessionStorage.removeItem(SESSION_KEY);
  views.clear();
  selected = null;
  replace($("workspace"), el("p", { class: "empty muted" }, "Claim a conversation from the queue to start."));
  replace($("mine"));
  $("desk").hidden = true;
  $("me").hidden = true;
  showRole(null);
  $("login-view").hidden = false;
  $("login-error").textContent = message || "";
  $("username").focus();
}

$("logout").addEventListener("click", () => signOut(""));
$("available").addEventListener("click", () => {
  available = !available;
  $("available").setAttribute("aria-pressed", String(available));
  $("available").textContent = available ? "Available" : "Away";
  socket?.send({ type: "status", available });
});
$("notify-perm").hidden = !canNotify();
$("notify-perm").addEventListener("click", () => askPermission().then(() => { $("notify-perm").hidden = true; }));

// ---- the desk ----

function startDesk() {
  const session = JSON.parse(sessionStorage.getItem(SESSION_KEY) || "null");
  if (!session || !session.token) return;
  $("login-view").hidden = true;
  $("desk").hidden = false;
  $("me").hidden = false;
  $("me-name").textContent = session.agent && session.agent.name ? String(session.agent.name) : "";
  showRole(session.agent && session.agent.role);
  socket = new ReconnectingSocket(wsUrl("/ws/agent"), {
    onopen: () => socket.send({ type: "auth", token: session.token }),
    onframe: handle,
    onclose: ({ code, willRetry, delay }) => {
      const ending = sessionEnding(code);
      if (ending) return signOut(ending.text, { keep: ending.keepDrafts });
      if (code === 4409) return setConn("Opened in another window.", "bad");
      setConn(willRetry ? `Offline, reconnecting in ${Math.ceil(delay / 1000)} s…` : "Disconnected.", "bad");
    },
  });
  setConn("Connecting…", "");
  socket.start();
}

// Supervisors also get the insights page (the server checks the role again there).
function showRole(role) {
  $("insights-link").hidden = role !== "supervisor";
}

function setConn(text, state) {
  $("conn").textContent = text;
  $("conn").dataset.state = state;
}

function handle(frame) {
  const view = typeof frame.conversation_id === "string" ? views.get(frame.conversation_id) : undefined;
  switch (frame.type) {
    case "welcome":
      setConn("Online", "ok");
      if (frame.agent) showRole(frame.agent.role);
      socket.send({ type: "status", available });
      for (const f of outbox.values()) socket.send(f);
      return;
    case "queue": {
      const arrived = queue.update(frame);
      renderRoster($("roster"), frame.agents);
      setTitleCount(queue.items.length);
      if (arrived.length) {
        alertAgent("A customer is waiting", String(arrived[0].reason || arrived[0].summary || ""));
        announce(`${arrived.length} new conversation${arrived.length > 1 ? "s" : ""} in the queue.`);
      }
      return;
    }
    case "assigned": return assigned(frame);
    case "message":
    case "event":
      if (frame.client_id) outbox.delete(frame.client_id);
      if (!view) return;
      // A customer message raises the conversation to the top of the list (and counts as
      // unread unless it is the one open).
      if (view.addFrame(frame)) { if (selected !== view.id) markUnread(view.id); else renderMine(); }
      return;
    case "typing": if (view && frame.sender === "customer") view.onTyping(Boolean(frame.on)); return;
    case "suggestions": if (view) view.suggestions.show(frame); return;
    case "note": if (frame.client_id) outbox.delete(frame.client_id); if (view) view.notes.add(frame); return;
    case "revealed": if (view) view.onRevealed(frame.placeholder, frame.value); return;
    case "released": if (view) { view.release(frame.reason); renderMine(); } return;
    case "error":
      console.warn("northwind: server refused a frame", frame.code, frame.message);
      // A refused frame would be refused again: do not resend it after a reconnect.
      if (typeof frame.ref === "string") outbox.delete(frame.ref);
      announce(String(frame.message || "That did not work."));
      showError(String(frame.message || frame.code || "That did not work."));
      return;
    case "ack":
      outbox.delete(frame.client_id);
      document.querySelectorAll(`li.pending[data-client-id="${CSS.escape(String(frame.client_id))}"] .meta`).forEach((n) => { n.textContent = "Sent"; });
      return;
    case "pong":
      return;
    default:
      console.warn("northwind: ignored unknown frame type", frame.type);
  }
}

function showError(text) {
  const box = el("p", { class: "toast", role: "alert" }, text);
  document.body.appendChild(box);
  setTimeout(() => box.remove(), 6000);
}

function assigned(frame) {
  if (typeof frame.conversation_id !== "string") return;
  const old = views.get(frame.conversation_id);
  // A repeat `assigned` (after a reconnect) carries the full transcript: rebuild from it.
  const view = new ConversationView(frame, send, () => renderMine());
  view.input.value = (old && old.input.value) || takeDraft(sessionStorage, view.id);
  views.set(view.id, view);
  if (!old) alertAgent("Conversation assigned to you", view.customerName);
  // Never pull the agent away from the conversation they are reading: only a claim of
  // their own, or an empty workspace, opens the new one.
  if (!selected || selected === view.id || claimed === view.id || linked() === view.id) select(view.id);
  if (claimed === view.id) claimed = null;
  renderMine();
}

/** The conversation a link names (`/agent#conversation=<id>`, printed by `make review`). */
function linked() {
  return new URLSearchParams(location.hash.slice(1)).get("conversation");
}
window.addEventListener("hashchange", () => { if (views.has(linked())) select(linked()); });

function select(id) {
  selected = id;
  const view = views.get(id);
  if (!view) return;
  view.unread = 0;
  replace($("workspace"), view.root);
  renderMine();
  // With many conversations the list scrolls: keep the open one in sight (keyboard moves).
  $("mine").querySelector('[aria-current="true"]')?.scrollIntoView({ block: "nearest" });
  announce(`Opened the conversation with ${view.customerName}.`);
}

function markUnread(id) {
  const view = views.get(id);
  view.unread = (view.unread || 0) + 1;
  renderMine();
}

function renderMine() {
  renderList($("mine"), views.values(), selected, select);
}
// "customer wrote 2 min ago" moves on by itself.
setInterval(() => refreshTimes($("mine"), views.values()), 15000);

installKeys($("help"), {
  view: () => views.get(selected),
  move(step) {
    const list = ordered(views.values());
    if (!list.length) return;
    const at = list.findIndex((v) => v.id === selected);
    select(list[(at + step + list.length) % list.length].id);
  },
  suggest(n) {
    const view = views.get(selected);
    if (view) view.useSuggestion(view.suggestions.items[n]);
  },
});
$("help-open").addEventListener("click", () => $("help").showModal());
$("help-close").addEventListener("click", () => $("help").close());

if (sessionStorage.getItem(SESSION_KEY)) startDesk();
else $("username").focus();
