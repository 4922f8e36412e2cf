// Canned replies agents can insert and edit before sending. Kept as data so support leads
// can change them without touching the console's code.

export const CANNED_REPLIES = [
  { label: "Greeting", text: "Hi, I'm here to help. I've read your conversation with our assistant, so no need to repeat anything." },
  { label: "Checking", text: "Thanks for your patience, I'm checking this for you now." },
  { label: "Order status", text: "I've looked up your order. Here is what I can see:" },
  { label: "Refund started", text: "I've started your refund. You'll see it on your statement within 5 to 7 business days." },
  { label: "Apology", text: "I'm sorry about this experience. Let's get it sorted out." },
  { label: "Anything else", text: "Is there anything else I can help you with today?" },
  { label: "Closing", text: "Thanks for contacting Northwind Goods. Have a great day!" },
];

export const RESOLUTIONS = [
  { value: "resolved", label: "Resolved" },
  { value: "refund_issued", label: "Refund issued" },
  { value: "replacement_sent", label: "Replacement sent" },
  { value: "follow_up", label: "Needs follow-up" },
  { value: "no_response", label: "Customer did not respond" },
];

export const TEAMS = ["general", "orders", "billing", "returns"];
