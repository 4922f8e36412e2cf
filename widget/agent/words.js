// Plain words for what the assistant recorded: slot names as labels, slot values as text
// (never raw JSON), verification methods, and the handoff trigger as one sentence with its
// value and threshold. Pure functions over the context (docs/protocol.md, "Handoff intake").

// Slot -> label. Slots shown elsewhere (identity, banner, draft) or internal to the
// assistant map to null and are left out.
const SLOT_LABELS = {
  order_id: "Order",
  email: "Email",
  new_address: "New address",
  contact: "Contact left",
  request: "Request",
  ai_disclosed: "Told they are talking to an AI",
  failed_attempts: "Failed attempts",
  goal_met: "Goal met",
  emergency: "Danger reported",
  agent_outcome: "Outcome of the earlier agent",
  agent_name: "Earlier agent",
  customer_id: null,
  verified: null,
  verification_method: null,
  risk_tier: null,
  risk_reasons: null,
  handoff_trigger: null,
  handoff_status: null,
  handoff_id: null,
  draft: null,
  requested_slot: null,
};

const METHODS = {
  signed_token: "signed in to the shop",
  order_email: "order number and email matched",
};

/** "−0.79": two decimals with the typographic minus sign. */
export function signed(v) {
  return (Math.round(v * 100) / 100).toFixed(2).replace("-", "\u2212");
}

const isNum = (v) => typeof v === "number" && Number.isFinite(v);

/** snake_case -> "Snake case". */
export function humanize(name) {
  const text = String(name).replace(/_/g, " ").trim();
  return text ? text[0].toUpperCase() + text.slice(1) : "";
}

/** Capital first letter and a full stop. */
function sentence(text) {
  const t = text.trim();
  if (!t) return "";
  return t[0].toUpperCase() + t.slice(1) + (/[.!?]$/.test(t) ? "" : ".");
}

/** A slot value in words: Yes/No, numbers, lists joined, objects as "key: value" pairs. */
export function plainValue(value, name = "") {
  if (value === true) return "Yes";
  if (value === false) return "No";
  if (isNum(value)) return String(value);
  if (typeof value === "string") return name === "request" ? humanize(value) : value;
  if (Array.isArray(value)) return value.map((v) => plainValue(v)).filter(Boolean).join(", ");
  if (value && typeof value === "object") {
    return Object.entries(value)
      .filter(([, v]) => v !== null && v !== undefined && v !== "")
      .map(([k, v]) => `${humanize(k)}: ${plainValue(v)}`)
      .join("; ");
  }
  return "";
}

/** [label, text] rows for the slots an agent should read, in the order of SLOT_LABELS. */
export function slotRows(slots) {
  if (!slots || typeof slots !== "object") return [];
  const known = Object.keys(SLOT_LABELS);
  const names = Object.keys(slots).sort((a, b) => rank(known, a) - rank(known, b));
  return names
    .filter((n) => SLOT_LABELS[n] !== null && slots[n] !== null && slots[n] !== undefined)
    .map((n) => [SLOT_LABELS[n] || humanize(n), plainValue(slots[n], n)])
    .filter(([, text]) => text !== "");
}

function rank(known, name) {
  const i = known.indexOf(name);
  return i === -1 ? known.length : i;
}

/** "Verified: signed in to the shop", "Not verified". */
export function identityText(customer) {
  const c = customer || {};
  if (!c.verified) return "Not verified";
  return `Verified: ${METHODS[c.method] || humanize(c.method || "verified")}`;
}

/** The trigger as one sentence with the observed value and the threshold it crossed. */
export function triggerSentence(trigger) {
  const t = trigger || {};
  const v = t.value, th = t.threshold;
  switch (t.kind) {
    case "sentiment":
      if (isNum(v) && isNum(th)) return `Customer sentiment ${signed(v)} crossed the ${signed(th)} handoff threshold.`;
      break;
    case "nlu_confidence":
      if (isNum(v) && isNum(th)) return `The latest message was understood with confidence ${v.toFixed(2)}, below the ${th.toFixed(2)} handoff threshold.`;
      break;
    case "low_confidence_streak":
      if (isNum(v) && isNum(th)) return `${v} messages in a row were not understood; a person is brought in after ${th}.`;
      break;
    case "loop":
      if (isNum(v) && isNum(th)) return `The conversation went in circles: the same turn ${v} times in a row; a person is brought in after ${th}.`;
      break;
    case "turns":
      if (isNum(v) && isNum(th)) return `${v} messages without the customer's goal met; a person is brought in after ${th}.`;
      break;
    case "customer_request":
      return "The customer asked for a person.";
    case "language":
      if (typeof v === "string") return `The customer writes in a language other than English (${v}); the assistant answers in English only.`;
      break;
    case "risk":
      if (v === "emergency") return "The customer may be in danger now.";
      if (typeof v === "string") return `The risk check rated this request ${v}: a person ${v === "assistance" ? "reviews what the assistant prepared" : "takes over"}.`;
      break;
    default:
      break;
  }
  return t.detail ? sentence(String(t.detail)) : "";
}

/** "Second contact about this in 3 days": a recontact (docs/outcomes.md), `days` after the
 * earlier conversation started. */
export function recontactText(days) {
  const d = typeof days === "number" && Number.isFinite(days) ? days : null;
  if (d === null) return "Second contact about this";
  if (d < 1) return "Second contact about this within a day";
  const n = Math.round(d);
  return `Second contact about this in ${n} ${n === 1 ? "day" : "days"}`;
}

const SPEAKERS = { customer: "Customer", bot: "Assistant", agent: "Agent" };

/** Who said a message of an earlier transcript, in words. */
export function speaker(sender) {
  return SPEAKERS[sender] || "System";
}
