/* Embeds the Northwind chat in any page with one tag:
 *   <script src="https://chat.example.com/widget/embed.js" async></script>
 * It adds one iframe (served from the chat's own origin, so host CSS and scripts cannot
 * reach it), sizes it as the chat opens and closes, and exposes window.NorthwindChat:
 *   NorthwindChat.init({customerToken, open})  settings; safe to call again
 *   NorthwindChat.open() / NorthwindChat.close()
 * With data-auto-init="false" nothing appears until init() is called (e.g. after fetching a
 * customer token). This file is a plain script, not a module, so it works in any page. */
(function () {
  "use strict";
  if (window.NorthwindChat && window.NorthwindChat.version) return; // embedded twice

  var script = document.currentScript;
  var chatOrigin = new URL(script ? script.src : "/widget/embed.js", location.href).origin;
  var autoInit = !script || script.getAttribute("data-auto-init") !== "false";
  var position = script && script.getAttribute("data-position") === "left" ? "left" : "right";
  var iframe = null;
  var frameReady = false;
  var isOpen = false;
  var config = { customerToken: null, open: false };

  function applyLayout() {
    if (!iframe) return;
    var s = iframe.style;
    var phone = window.innerWidth < 520;
    s.position = "fixed";
    s.border = "0";
    s.zIndex = "2147483000";
    s.colorScheme = "normal"; // keeps the iframe background transparent
    s.background = "transparent";
    s.maxWidth = "100vw";
    s.maxHeight = "100vh";
    if (isOpen && phone) {
      s.top = "0"; s.left = "0"; s.right = "0"; s.bottom = "0";
      s.width = "100%"; s.height = "100%";
    } else {
      s.top = "auto"; s.bottom = "16px";
      s.left = position === "left" ? "16px" : "auto";
      s.right = position === "left" ? "auto" : "16px";
      s.width = isOpen ? "400px" : "200px";
      s.height = isOpen ? "min(640px, calc(100vh - 32px))" : "72px";
    }
  }

  function post(message) {
    if (iframe && frameReady) {
      message.source = "northwind-host";
      // Only the chat's own origin may receive the customer token.
      iframe.contentWindow.postMessage(message, chatOrigin);
    }
  }

  function create() {
    if (iframe) return;
    iframe = document.createElement("iframe");
    iframe.src = chatOrigin + "/widget/frame.html";
    iframe.title = "Northwind Goods chat";
    iframe.setAttribute("data-northwind-chat", "");
    applyLayout();
    document.body.appendChild(iframe);
  }

  window.addEventListener("message", function (ev) {
    if (!iframe || ev.source !== iframe.contentWindow || ev.origin !== chatOrigin) return;
    var data = ev.data || {};
    if (data.source !== "northwind-chat") return;
    if (data.type === "ready") {
      frameReady = true;
      post({ type: "config", customerToken: config.customerToken, open: config.open });
    } else if (data.type === "state") {
      isOpen = Boolean(data.open);
      applyLayout();
    }
  });
  window.addEventListener("resize", applyLayout);

  function init(options) {
    options = options || {};
    if ("customerToken" in options) config.customerToken = options.customerToken || null;
    config.open = Boolean(options.open);
    if (document.body) create();
    else document.addEventListener("DOMContentLoaded", create);
    post({ type: "config", customerToken: config.customerToken, open: config.open });
  }

  window.NorthwindChat = {
    version: 1,
    init: init,
    open: function () { post({ type: "open", open: true }); },
    close: function () { post({ type: "open", open: false }); },
  };

  if (autoInit) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", function () { if (!iframe) init({}); });
    else init({});
  }
})();
