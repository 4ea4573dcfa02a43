/* Relais — long texts survive a session timeout.
   Every textarea of a POST form is saved as a draft on the server (encrypted, the user's
   own) a few seconds after typing stops; when the same form is shown again with the
   textarea empty (after a new login, say), the draft is put back and announced.
   The server drops the drafts of a form once it has been sent successfully. */
(function () {
  "use strict";
  var endpoint = document.body.getAttribute("data-drafts-url");
  if (!endpoint || !window.fetch) { return; }
  var DELAY = 2000;

  function csrfToken(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function keyOf(textarea) {
    var form = textarea.form;
    var action = new URL(form.getAttribute("action") || window.location.href, window.location.href);
    return action.pathname + "#" + textarea.name;
  }

  function save(textarea) {
    var body = new URLSearchParams();
    body.set("key", keyOf(textarea));
    body.set("text", textarea.value);
    return fetch(endpoint, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(textarea.form) },
      body: body
    }).catch(function () { /* offline: the text is still in the page */ });
  }

  function announce(textarea) {
    var notice = document.createElement("p");
    notice.className = "reminder draft-restored";
    notice.setAttribute("role", "status");
    notice.textContent = "Texte non envoyé retrouvé (brouillon enregistré automatiquement). Vérifiez-le avant d'enregistrer.";
    textarea.insertAdjacentElement("beforebegin", notice);
  }

  var textareas = Array.prototype.filter.call(
    document.querySelectorAll("form textarea[name]"),
    function (t) { return (t.form.getAttribute("method") || "").toLowerCase() === "post" && !t.hasAttribute("data-no-draft"); }
  );
  if (!textareas.length) { return; }

  textareas.forEach(function (textarea) {
    var timer = null;
    textarea.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { save(textarea); }, DELAY);
    });
    textarea.addEventListener("blur", function () {
      if (timer) { clearTimeout(timer); timer = null; save(textarea); }
    });
  });

  var empty = textareas.filter(function (t) { return !t.value; });
  if (!empty.length) { return; }
  var query = new URLSearchParams();
  empty.forEach(function (t) { query.append("key", keyOf(t)); });
  fetch(endpoint + "?" + query.toString(), { credentials: "same-origin" })
    .then(function (response) { return response.ok ? response.json() : {}; })
    .then(function (drafts) {
      empty.forEach(function (textarea) {
        var text = drafts[keyOf(textarea)];
        if (text && !textarea.value) {
          textarea.value = text;
          announce(textarea);
        }
      });
    })
    .catch(function () {});
})();
