// A websocket that reconnects by itself with capped exponential backoff and jitter, speaks
// JSON frames, and hands parsed objects to the app. Frames that are not JSON objects with a
// string `type` are logged and dropped, mirroring the server's own parsing rule.

const NO_RETRY = new Set([4001, 4003, 4401, 4409]);

export class ReconnectingSocket {
  /**
   * @param {string} url ws:// or wss:// URL
   * @param {object} handlers onopen(), onframe(frame), onclose({code, reason, willRetry, delay})
   */
  constructor(url, handlers) {
    this.url = url;
    this.handlers = handlers;
    this.ws = null;
    this.attempt = 0;
    this.timer = null;
    this.pingTimer = null;
    this.stopped = true;
  }

  start() {
    this.stopped = false;
    this.connect();
  }

  /** Stops for good (logout, replaced by another tab). */
  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.pingTimer);
    if (this.ws) this.ws.close(1000);
  }

  /** Reconnects now, skipping any pending backoff (e.g. when the browser goes online). */
  retryNow() {
    if (this.stopped || this.isOpen()) return;
    clearTimeout(this.timer);
    this.connect();
  }

  isOpen() {
    return this.ws !== null && this.ws.readyState === WebSocket.OPEN;
  }

  send(frame) {
    if (!this.isOpen()) return false;
    this.ws.send(JSON.stringify(frame));
    return true;
  }

  connect() {
    if (this.ws && this.ws.readyState <= WebSocket.OPEN) return;
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.addEventListener("open", () => {
      this.attempt = 0;
      clearInterval(this.pingTimer);
      // Keeps idle connections alive through proxies that drop silent sockets.
      this.pingTimer = setInterval(() => this.send({ type: "ping" }), 25000);
      this.handlers.onopen();
    });
    ws.addEventListener("message", (ev) => {
      const frame = parseFrame(ev.data);
      if (frame) this.handlers.onframe(frame);
    });
    ws.addEventListener("close", (ev) => {
      if (this.ws !== ws) return;
      clearInterval(this.pingTimer);
      const willRetry = !this.stopped && !NO_RETRY.has(ev.code);
      // 4029 means we flooded the server: wait longer before trying again.
      const base = ev.code === 4029 ? 10000 : 500;
      const delay = Math.min(30000, base * 2 ** this.attempt) * (0.7 + Math.random() * 0.6);
      this.attempt = Math.min(this.attempt + 1, 8);
      this.handlers.onclose({ code: ev.code, reason: ev.reason, willRetry, delay });
      if (willRetry) this.timer = setTimeout(() => this.connect(), delay);
    });
  }
}

/** Parses one text frame; returns null (and logs) for anything that is not a typed object. */
export function parseFrame(data) {
  let frame;
  try {
    frame = JSON.parse(data);
  } catch {
    console.warn("northwind: dropped a frame that is not JSON");
    return null;
  }
  if (!frame || typeof frame !== "object" || Array.isArray(frame) || typeof frame.type !== "string") {
    console.warn("northwind: dropped a frame without a type");
    return null;
  }
  return frame;
}

/** The websocket URL for a path on the page's own origin. */
export function wsUrl(path) {
  const proto = location.protocol === "https:" ? "wss:" : "ws:";
  return `${proto}//${location.host}${path}`;
}
