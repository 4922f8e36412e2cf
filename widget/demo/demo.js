// Demo store behaviour: lets a visitor act as a guest or as the signed-in demo customer Maya Chen (C1001)
// by fetching a signed customer token from the service and handing it to the chat.

(function () {
  "use strict";
  var KEY = "northwind-demo.who";
  var NAMES = { C1001: "Maya" };

  function fetchToken(customerId) {
    return fetch("/demo/customer-token?customer_id=" + encodeURIComponent(customerId), { credentials: "same-origin" })
      .then(function (r) {
        if (!r.ok) throw new Error("token request failed: " + r.status);
        return r.json();
      })
      .then(function (body) {
        var token = body.customer_token || body.token;
        if (typeof token !== "string" || !token) throw new Error("no token in the answer");
        return token;
      });
  }

  function apply(who) {
    var note = document.getElementById("who-note");
    if (who === "guest") {
      note.textContent = "You are browsing as a guest.";
      window.NorthwindChat.init({ customerToken: null });
      return;
    }
    fetchToken(who).then(function (token) {
      note.textContent = "You are signed in as " + (NAMES[who] || who) + ".";
      window.NorthwindChat.init({ customerToken: token });
    }).catch(function (err) {
      console.warn("northwind demo: could not sign in", err);
      note.textContent = "Signing in is not available (is the demo mode on?). Browsing as a guest.";
      window.NorthwindChat.init({ customerToken: null });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var who = localStorage.getItem(KEY) || "guest";
    var radios = document.querySelectorAll("input[name=who]");
    radios.forEach(function (radio) {
      radio.checked = radio.value === who;
      radio.addEventListener("change", function () {
        localStorage.setItem(KEY, radio.value);
        apply(radio.value);
      });
    });
    // embed.js is deferred after this script, so wait for it to define NorthwindChat.
    window.addEventListener("load", function () { apply(who); });
  });
})();
