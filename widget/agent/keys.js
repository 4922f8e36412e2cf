// Keyboard shortcuts of the console and the help overlay that lists them ("?"). Alt+key
// combinations work while typing; they are matched on `code`, so layouts where Alt types a
// character still work.

import { el, replace } from "../shared/dom.js";

export const SHORTCUTS = [
  { keys: "Alt+↓", code: "ArrowDown", alt: true, what: "Next conversation", run: (a) => a.move(1) },
  { keys: "Alt+↑", code: "ArrowUp", alt: true, what: "Previous conversation", run: (a) => a.move(-1) },
  { keys: "Alt+R", code: "KeyR", alt: true, what: "Focus the reply box", run: (a) => a.view()?.input.focus() },
  { keys: "Alt+1 … Alt+3", code: /^Digit[1-3]$/, alt: true, what: "Put suggestion 1–3 in the reply box", run: (a, ev) => a.suggest(Number(ev.code.slice(5)) - 1) },
  { keys: "Enter or Ctrl+Enter", code: "Enter", ctrl: true, what: "Send the reply (Shift+Enter: new line)", run: (a) => a.view()?.submit() },
  { keys: "Alt+C", code: "KeyC", alt: true, what: "Close the conversation: choose the resolution, then Close", run: (a) => a.view()?.startClose() },
  { keys: "?", key: "?", what: "Show or hide this help", run: (a) => a.toggleHelp() },
  { keys: "Esc", key: "Escape", what: "Hide this help", run: (a) => a.hideHelp() },
];

function typingInField(target) {
  return target instanceof HTMLElement && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
}

function matches(shortcut, ev) {
  if (shortcut.key) return ev.key === shortcut.key && !ev.altKey && !ev.ctrlKey && !ev.metaKey && (shortcut.key === "Escape" || !typingInField(ev.target));
  const code = shortcut.code instanceof RegExp ? shortcut.code.test(ev.code) : ev.code === shortcut.code;
  return code && Boolean(shortcut.alt) === ev.altKey && Boolean(shortcut.ctrl) === (ev.ctrlKey || ev.metaKey);
}

/** Fills the help dialog from SHORTCUTS and listens for the keys; `actions` does the work. */
export function installKeys(dialog, actions) {
  replace(dialog.querySelector("dl"), SHORTCUTS.flatMap((s) => [el("dt", {}, el("kbd", {}, s.keys)), el("dd", {}, s.what)]));
  const all = {
    ...actions,
    toggleHelp: () => (dialog.open ? dialog.close() : dialog.showModal()),
    hideHelp: () => { if (dialog.open) dialog.close(); },
  };
  document.addEventListener("keydown", (ev) => {
    if (ev.isComposing || ev.defaultPrevented) return; // the reply box already sent on Enter
    const shortcut = SHORTCUTS.find((s) => matches(s, ev));
    if (!shortcut || (dialog.open && shortcut.key !== "?" && shortcut.key !== "Escape")) return;
    ev.preventDefault();
    shortcut.run(all, ev);
  });
  return all;
}
