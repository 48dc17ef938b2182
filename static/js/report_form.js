// The report form's error summary (templates/programs/includes/error_summary.html).
// On a phone the fields are far below the top: after a refused save the focus
// moves to the summary, so it is seen (and read out) first, and each of its
// links puts the focus into the field it names, scrolled into view with its
// label. Without JavaScript the links still jump to the fields.
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (!summary) {
    return;
  }
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    if (!link) {
      return;
    }
    var field = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!field) {
      return;
    }
    event.preventDefault();
    // The row's card (phone) or row (desktop) holds the field's name: show it too.
    var holder = field.closest("tr, .mb-3") || field;
    holder.scrollIntoView({ block: "start" });
    field.focus({ preventScroll: true });
  });
})();
