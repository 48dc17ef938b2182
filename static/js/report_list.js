// The quarterly reports page (reports/report_list.html).
(function () {
  "use strict";
  // Issuing takes a second or two: say so, and stop a second click issuing twice.
  document.getElementById("report-form").addEventListener("submit", function (event) {
    var button = event.submitter;
    if (button && button.id === "issue-button") {
      button.disabled = true;
      button.textContent = button.dataset.busy;
    }
  });
})();
