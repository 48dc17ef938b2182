// A report's conversation (templates/conversations/thread.html): post a message without
// leaving the page, so nothing typed in the report form around it is lost. The server
// answers with the thread alone (header X-Conversation-Fragment), which replaces the one
// on the page: with the new message, or with the error and what was typed. Without
// JavaScript, or if anything goes wrong here, the form is posted the ordinary way.
(function () {
  "use strict";

  function replaceThread(html) {
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var fresh = holder.querySelector("#conversation");
    var current = document.getElementById("conversation");
    if (!fresh || !current) {
      return null;
    }
    current.replaceWith(fresh);
    return fresh;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.id !== "conversation-form" || !window.fetch || !window.FormData) {
      return;
    }
    event.preventDefault();
    var button = form.querySelector("button[type=submit]");
    if (button) {
      button.disabled = true;
    }
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "X-Conversation-Fragment": "1" },
    })
      .then(function (response) {
        if (!response.ok && response.status !== 400) {
          throw new Error("HTTP " + response.status);
        }
        return response.text().then(function (html) {
          var fresh = replaceThread(html);
          if (!fresh) {
            throw new Error("no thread in the answer");
          }
          var target = response.ok
            ? fresh.querySelector("#conversation-messages li:last-child")
            : fresh.querySelector("textarea");
          if (target) {
            target.focus();
          }
        });
      })
      .catch(function () {
        form.submit();
      });
  });
})();
