// Behaviour shared by every page, attached from here because the
// Content-Security-Policy allows no inline script or inline event handler.
//
//   <form data-confirm="Question?">   asks before submitting; Cancel keeps the page.
//   <select data-autosubmit>          submits its form when the choice changes.
//   A table that scrolls sideways in its box (.table-responsive, or any table on a
//   small screen, see app.css) gets tabindex="0", so a keyboard user can focus it
//   and scroll it with the arrow keys (WCAG 2.1.1; axe "scrollable-region-focusable").
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset && form.dataset.confirm !== undefined && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });
  function focusableScrollBoxes() {
    var boxes = document.querySelectorAll(".table-responsive, main table");
    Array.prototype.forEach.call(boxes, function (box) {
      var overflow = window.getComputedStyle(box).overflowX;
      var scrolls = (overflow === "auto" || overflow === "scroll") && box.scrollWidth > box.clientWidth;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.dataset.scrollFocus = "";
      } else if (!scrolls && box.dataset.scrollFocus !== undefined) {
        box.removeAttribute("tabindex");
        delete box.dataset.scrollFocus;
      }
    });
  }
  var resizeTimer;
  window.addEventListener("resize", function () {
    window.clearTimeout(resizeTimer);
    resizeTimer = window.setTimeout(focusableScrollBoxes, 150);
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusableScrollBoxes);
  } else {
    focusableScrollBoxes();
  }

  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.dataset && field.dataset.autosubmit !== undefined && field.form) {
      field.form.submit();
    }
  });
})();
