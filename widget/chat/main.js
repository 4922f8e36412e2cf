// Starts the customer chat inside its iframe: waits for the host page's settings (sent by
// embed.js), opens and closes the panel, and tells the host how big the frame must be.

import { ChatStore } from "./store.js";
import { ChatSession } from "./session.js";
import { ChatUI } from "./ui.js";

const $ = (id) => document.getElementById(id);
const embedded = window.parent !== window;
const store = new ChatStore();
let unread = 0;

const ui = new ChatUI(store, {
  onUnread() {
    if (!$("panel").hidden) return;
    unread += 1;
    const badge = $("unread");
    badge.hidden = false;
    badge.textContent = String(unread);
    $("launcher").setAttribute("aria-label", `Chat with us, ${unread} new`);
  },
});
const session = new ChatSession(store, ui);
ui.attach(session);

/** Messages to the host carry no secrets, so any host origin may read them. */
function tellHost(message) {
  if (embedded) window.parent.postMessage({ source: "northwind-chat", ...message }, "*");
}

function setOpen(open, { focus = true } = {}) {
  $("panel").hidden = !open;
  $("launcher").hidden = open;
  $("launcher").setAttribute("aria-expanded", String(open));
  store.setOpen(open);
  tellHost({ type: "state", open });
  if (open) {
    unread = 0;
    $("unread").hidden = true;
    $("launcher").removeAttribute("aria-label");
    if (focus) $("input").focus();
    $("log").scrollTop = $("log").scrollHeight;
  } else if (focus) {
    $("launcher").focus();
  }
}

$("launcher").addEventListener("click", () => setOpen(true));
$("minimize").addEventListener("click", () => setOpen(false));
$("panel").addEventListener("keydown", (ev) => {
  if (ev.key === "Escape") { ev.preventDefault(); setOpen(false); }
});
window.addEventListener("online", () => session.retryNow());

/** The customer id inside a signed token (not verified here: the server does that), or null. */
function identityOf(token) {
  try {
    const payload = token.split(".")[0].replace(/-/g, "+").replace(/_/g, "/");
    return String(JSON.parse(atob(payload)).cid || "") || null;
  } catch {
    return null;
  }
}

let started = false;
function start(config) {
  const token = typeof config.customerToken === "string" && config.customerToken ? config.customerToken : null;
  const identity = token ? identityOf(token) : null;
  // A chat kept from another signed-in customer (or a guest) must not be resumed.
  const switched = (store.state.identity ?? null) !== identity;
  if (switched) {
    store.reset();
    store.state.identity = identity;
    store.save();
  }
  if (!started) {
    started = true;
    if (switched) ui.onReset();
    session.start(token);
  } else if (switched || token !== session.customerToken) {
    session.restart(token);
    store.state.identity = identity;
    store.save();
  }
  if (config.open === true) setOpen(true, { focus: false });
}

// Settings come from the host page through postMessage so the customer token never
// appears in a URL (and so in no server log or Referer header).
window.addEventListener("message", (ev) => {
  if (ev.source !== window.parent || !ev.data || ev.data.source !== "northwind-host") return;
  if (ev.data.type === "config") start(ev.data);
  else if (ev.data.type === "open") setOpen(Boolean(ev.data.open));
  else console.warn("northwind: ignored unknown host message", ev.data.type);
});

setOpen(store.state.open, { focus: false });
if (embedded) tellHost({ type: "ready" });
else start({ open: true });
