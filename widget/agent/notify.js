// Gets an agent's attention when a conversation arrives: a short tone (made with Web Audio,
// so no sound file is needed), a desktop notification when allowed, and a title counter.

let audio = null;
const baseTitle = document.title;

/** Browsers only allow sound after a user gesture; call this from the sign-in click. */
export function unlockSound() {
  try {
    audio = audio || new AudioContext();
    if (audio.state === "suspended") audio.resume();
  } catch {
    audio = null;
  }
}

export function chime() {
  if (!audio) return;
  const now = audio.currentTime;
  for (const [i, freq] of [880, 1320].entries()) {
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.frequency.value = freq;
    gain.gain.setValueAtTime(0.0001, now + i * 0.18);
    gain.gain.exponentialRampToValueAtTime(0.2, now + i * 0.18 + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, now + i * 0.18 + 0.16);
    osc.connect(gain).connect(audio.destination);
    osc.start(now + i * 0.18);
    osc.stop(now + i * 0.18 + 0.17);
  }
}

export function canNotify() {
  return "Notification" in window && Notification.permission === "default";
}

export function askPermission() {
  if ("Notification" in window) return Notification.requestPermission();
  return Promise.resolve("denied");
}

/** Title is plain text (Notification renders no HTML); body is a short summary. */
export function alertAgent(title, body) {
  chime();
  if ("Notification" in window && Notification.permission === "granted" && document.hidden) {
    try {
      new Notification(title, { body, tag: "northwind-queue" });
    } catch (err) {
      console.warn("northwind: notification failed", err);
    }
  }
}

export function setTitleCount(count) {
  document.title = count > 0 ? `(${count}) ${baseTitle}` : baseTitle;
}
