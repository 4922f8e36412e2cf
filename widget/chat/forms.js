// The forms the chat can show: leave a contact when no one is available, the satisfaction
// prompt after an agent closed, and the smaller one that rates the assistant's part. They only
// build DOM and call back with values.

import { el } from "../shared/dom.js";

let nextId = 0;
function field(label, input) {
  const id = `f${++nextId}`;
  input.id = id;
  return el("div", { class: "field" }, el("label", { for: id }, label), input);
}

/** onSubmit({name, email, phone, note}); `urgent` is an emergency no one can take right now;
 * `callback` a customer who asked to be called back, so the phone number is what counts. */
export function contactForm(onSubmit, onDismiss, urgent = false, callback = false) {
  const name = el("input", { type: "text", autocomplete: "name", maxlength: 200, required: true });
  const email = el("input", { type: "email", autocomplete: "email", maxlength: 200 });
  const phone = el("input", { type: "tel", autocomplete: "tel", maxlength: 50 });
  const note = el("textarea", { rows: 2, maxlength: 1000 });
  const error = el("p", { class: "form-error", role: "alert" });
  const title = urgent ? "Urgent: no one is available right now"
    : callback ? "We will call you back" : "No one is available right now";
  const form = el("form", { class: urgent ? "card card-urgent" : "card", "aria-labelledby": "contact-title" },
    el("h2", { id: "contact-title" }, title),
    urgent
      ? el("p", {}, "If you are in danger, call your local emergency number now. Your case is marked urgent: leave a phone number or email and a person will contact you as soon as someone is available.")
      : el("p", {}, callback ? "Leave your phone number and a person will call you." : "Leave your contact and a person will get back to you."),
    field("Name", name),
    callback ? [field("Phone", phone), field("Email (optional)", email)] : [field("Email", email), field("Phone", phone)],
    field("What is it about?", note),
    error,
    el("div", { class: "row" },
      el("button", { type: "submit", class: "btn btn-primary" }, "Send contact"),
      el("button", { type: "button", class: "btn btn-ghost", onclick: onDismiss }, "Not now")),
  );
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    if (callback && !phone.value.trim()) {
      error.textContent = "Please give a phone number to call you back on.";
      phone.focus();
      return;
    }
    if (!email.value.trim() && !phone.value.trim()) {
      error.textContent = "Please give an email or a phone number.";
      email.focus();
      return;
    }
    if (!form.reportValidity()) return;
    onSubmit({ name: name.value.trim(), email: email.value.trim(), phone: phone.value.trim(), note: note.value.trim() });
  });
  return form;
}

/** onSubmit({score, comment}); a radio group so it works with arrow keys and screen readers. */
export function csatForm(onSubmit, onDismiss) {
  const labels = ["Very bad", "Bad", "Okay", "Good", "Very good"];
  const radios = labels.map((label, i) => {
    const input = el("input", { type: "radio", name: "csat", value: i + 1, required: i === 0 });
    return el("label", { class: "star" }, input, el("span", {}, `${i + 1}`), el("span", { class: "sr-only" }, ` – ${label}`));
  });
  const comment = el("textarea", { rows: 2, maxlength: 1000 });
  const form = el("form", { class: "card", "aria-labelledby": "csat-title" },
    el("h2", { id: "csat-title" }, "How did we do?"),
    el("fieldset", { class: "stars" }, el("legend", {}, "Rate this conversation from 1 (very bad) to 5 (very good)"), radios),
    field("Anything to add? (optional)", comment),
    el("div", { class: "row" },
      el("button", { type: "submit", class: "btn btn-primary" }, "Send rating"),
      el("button", { type: "button", class: "btn btn-ghost", onclick: onDismiss }, "Skip")),
  );
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const picked = form.querySelector("input[name=csat]:checked");
    if (!picked) return;
    onSubmit({ score: Number(picked.value), comment: comment.value.trim() });
  });
  return form;
}

/** onSubmit(score): the assistant's part, in one line of choices; it never blocks the chat. */
export function assistantRatingForm(onSubmit, onDismiss) {
  const labels = ["Not helpful", "A little helpful", "Somewhat helpful", "Helpful", "Very helpful"];
  const radios = labels.map((label, i) => {
    const input = el("input", { type: "radio", name: "csat-assistant", value: i + 1 });
    return el("label", { class: "star" }, input, el("span", {}, `${i + 1}`), el("span", { class: "sr-only" }, ` – ${label}`));
  });
  const error = el("p", { class: "form-error", role: "alert" });
  const form = el("form", { class: "card card-compact", "aria-labelledby": "rate-assistant-title" },
    el("h2", { id: "rate-assistant-title" }, "How helpful was the assistant?"),
    el("fieldset", { class: "stars" }, el("legend", { class: "sr-only" }, "Rate the assistant from 1 (not helpful) to 5 (very helpful)"), radios),
    error,
    el("div", { class: "row" },
      el("button", { type: "submit", class: "btn btn-primary" }, "Send"),
      el("button", { type: "button", class: "btn btn-ghost", onclick: onDismiss }, "No thanks")),
  );
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const picked = form.querySelector("input[name=csat-assistant]:checked");
    if (!picked) {
      error.textContent = "Pick a number from 1 to 5, or choose No thanks.";
      radios[0].querySelector("input").focus();
      return;
    }
    onSubmit(Number(picked.value));
  });
  return form;
}

export function thanks(text) {
  return el("p", { class: "card thanks", role: "status" }, text);
}
