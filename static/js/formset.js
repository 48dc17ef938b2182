// Lists edited as Django formsets (programs/program_form.html, programs/milestone_form.html).
// The pages work without JavaScript (they offer empty rows); this adds:
//
//   [data-formset]          a list; its management form's TOTAL_FORMS counts the rows
//   [data-formset-add]      adds a row from the <template data-formset-empty> (__prefix__)
//   [data-move="up|down"]   moves a row and renumbers the list's .order-input fields
//   [data-js-only]          hidden until this script shows it
(function () {
  "use strict";

  document.querySelectorAll("[data-js-only]").forEach(function (element) {
    element.hidden = false;
  });

  function rowsOf(list) {
    return Array.prototype.slice.call(
      list.querySelectorAll("[data-formset-body] > tr.formset-row")
    );
  }

  function isFilled(row) {
    // A row counts once something besides its order number is typed in it.
    return Array.prototype.some.call(
      row.querySelectorAll("input[type=text], input[type=date], input[type=number]"),
      function (input) {
        return !input.classList.contains("order-input") && input.value.trim() !== "";
      }
    );
  }

  function errorRowOf(row) {
    var previous = row.previousElementSibling;
    return previous && previous.classList.contains("table-danger") ? previous : null;
  }

  function renumber(list) {
    var number = 0;
    rowsOf(list).forEach(function (row) {
      var order = row.querySelector(".order-input");
      if (!order) {
        return;
      }
      order.value = isFilled(row) ? String(++number) : "";
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-formset-add], [data-move]");
    if (!button) {
      return;
    }
    var list = button.closest("[data-formset]");
    if (!list) {
      return;
    }
    if (button.hasAttribute("data-formset-add")) {
      var prefix = list.dataset.prefix;
      var total = list.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
      var template = list.querySelector("template[data-formset-empty]");
      var html = template.innerHTML.replace(/__prefix__/g, total.value);
      list.querySelector("[data-formset-body]").insertAdjacentHTML("beforeend", html);
      total.value = String(Number(total.value) + 1);
      rowsOf(list).slice(-1)[0].querySelectorAll("[data-js-only]").forEach(function (element) {
        element.hidden = false;
      });
      return;
    }
    var row = button.closest("tr.formset-row");
    var rows = rowsOf(list);
    var index = rows.indexOf(row);
    var target = button.dataset.move === "up" ? rows[index - 1] : rows[index + 1];
    if (!target) {
      return;
    }
    // A row's errors sit in their own row just before it: they move along.
    var errors = errorRowOf(row);
    if (button.dataset.move === "up") {
      var anchor = errorRowOf(target) || target;
      anchor.parentNode.insertBefore(row, anchor);
    } else {
      target.parentNode.insertBefore(row, target.nextElementSibling);
    }
    if (errors) {
      row.parentNode.insertBefore(errors, row);
    }
    renumber(list);
    button.focus();
  });
})();
