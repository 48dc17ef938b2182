// The signing event form (commitments/signing_event_form.html).
(function () {
  "use strict";
  // "Reload the officials" submits a separate GET form; take the date typed above with it.
  document.getElementById("reload-form").addEventListener("submit", function () {
    document.getElementById("reload-date").value = document.getElementById("id_signed_date").value;
  });

  var signers = document.getElementById("id_signers");
  var rows = document.querySelectorAll("#officials tr[data-unit]");
  var none = document.getElementById("officials-none");
  if (!signers) {
    return;
  }

  function chosen() {
    var values = {};
    Array.prototype.forEach.call(signers.selectedOptions, function (option) {
      values[option.value] = true;
    });
    return values;
  }

  // Show the official's row of each chosen signatory only (without JavaScript all rows
  // show, and the server reads only the chosen ones).
  function showChosenRows() {
    var values = chosen();
    var shown = 0;
    rows.forEach(function (row) {
      row.hidden = !values[row.dataset.unit];
      shown += row.hidden ? 0 : 1;
    });
    if (rows.length) {
      document.getElementById("officials").hidden = shown === 0;
      none.hidden = shown !== 0;
    }
  }

  function setAll(on) {
    var values = on
      ? Array.prototype.map.call(signers.options, function (option) {
          return option.value;
        })
      : [];
    if (signers.tomselect) {
      signers.tomselect.setValue(values);
    } else {
      Array.prototype.forEach.call(signers.options, function (option) {
        option.selected = on;
      });
      showChosenRows();
    }
  }

  // With JavaScript, "tick all" works in the page instead of asking the server.
  document.getElementById("tick-all").addEventListener("click", function (event) {
    event.preventDefault();
    setAll(true);
  });
  var untick = document.getElementById("untick-all");
  untick.hidden = false;
  untick.addEventListener("click", function () {
    setAll(false);
  });
  signers.addEventListener("change", showChosenRows);
  showChosenRows();
})();
