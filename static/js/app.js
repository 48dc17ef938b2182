// Behaviour shared by every page, attached from here because the
// Content-Security-Policy allows no inline script or inline event handler.
//
//   <form data-confirm="Question?">   asks before submitting; Cancel keeps the page.
//   <select data-autosubmit>          submits its form when the choice changes.
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset && form.dataset.confirm !== undefined && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.dataset && field.dataset.autosubmit !== undefined && field.form) {
      field.form.submit();
    }
  });
})();
