/*
 * Elder mode (长辈模式): larger text and higher contrast, chosen by the visitor and kept
 * in localStorage. Applied on the client so that every visitor gets the same HTML, which
 * a proxy in front of the application can cache.
 *
 * Loaded in <head> without defer: the class is set before the first paint (no flash),
 * and the button is wired once the document is parsed.
 */
(function () {
  "use strict";
  var KEY = "qth-portal-elder-mode";
  var root = document.documentElement;

  function stored() {
    try {
      return window.localStorage.getItem(KEY) === "on";
    } catch (e) {
      return false; // storage disabled (private mode): the default look
    }
  }

  function apply(on) {
    root.classList.toggle("elder-mode", on);
    var buttons = document.querySelectorAll("[data-elder-toggle]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].setAttribute("aria-pressed", on ? "true" : "false");
      var label = buttons[i].querySelector(".elder-toggle__label");
      if (label) {
        label.textContent = on ? "退出长辈模式" : "长辈模式";
      }
    }
  }

  apply(stored());

  document.addEventListener("DOMContentLoaded", function () {
    apply(stored());
    var buttons = document.querySelectorAll("[data-elder-toggle]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].addEventListener("click", function () {
        var on = !root.classList.contains("elder-mode");
        try {
          window.localStorage.setItem(KEY, on ? "on" : "off");
        } catch (e) {
          /* still switch for this page view */
        }
        apply(on);
      });
    }
  });
})();
