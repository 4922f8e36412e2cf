// What the console does when the service ends the agent's session (docs/protocol.md, close
// codes), and the unsent replies it keeps across signing in again. No DOM: testable in node.

const DRAFTS_KEY = "northwind-agent.drafts";

const ENDINGS = {
  4401: { text: "Your session has expired. Please sign in again.", keepDrafts: true },
  4440: { text: "Your session has expired. Please sign in again; your unsent replies are kept.", keepDrafts: true },
  4403: { text: "Your account has been disabled. Ask an administrator if this is a mistake.", keepDrafts: false },
};

// The ending for a close code, or null when the socket should just reconnect.
export function sessionEnding(code) {
  return Object.prototype.hasOwnProperty.call(ENDINGS, code) ? ENDINGS[code] : null;
}

// Save each conversation's reply box ({conversationId: text}) before the desk is cleared.
export function keepDrafts(storage, drafts) {
  const kept = {};
  for (const [id, text] of drafts) if (typeof text === "string" && text.trim()) kept[id] = text;
  if (Object.keys(kept).length) storage.setItem(DRAFTS_KEY, JSON.stringify(kept));
}

// The kept draft of one conversation (once: it is removed as it is given back).
export function takeDraft(storage, id) {
  let kept;
  try {
    kept = JSON.parse(storage.getItem(DRAFTS_KEY) || "{}");
  } catch {
    kept = {};
  }
  if (!kept || typeof kept !== "object" || typeof kept[id] !== "string") return "";
  const text = kept[id];
  delete kept[id];
  if (Object.keys(kept).length) storage.setItem(DRAFTS_KEY, JSON.stringify(kept));
  else storage.removeItem(DRAFTS_KEY);
  return text;
}
