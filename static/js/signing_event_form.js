// The signing event form (commitments/signing_event_form.html).
(function () {
  "use strict";
  // "Reload the officials" submits a separate GET form; take the date typed above with it.
  document.getElementById("reload-form").addEventListener("submit", function () {
    document.getElementById("reload-date").value = document.getElementById("id_signed_date").value;
  });

  function tickAll(checked) {
    document.querySelectorAll("input.present").forEach(function (box) {
      box.checked = checked;
    });
  }
  document.getElementById("tick-all").addEventListener("click", function () {
    tickAll(true);
  });
  document.getElementById("untick-all").addEventListener("click", function () {
    tickAll(false);
  });
})();
