// The verification queue: "tick all" in the table's header, and a confirmation
// that names how many reports the bulk verification will verify.
//
//   <input type="checkbox" id="select-all">      ticks or clears every report box
//   <form id="queue-form" data-confirm-one="…" data-confirm-many="… {count} …">
//        app.js asks form.dataset.confirm before submitting; it is kept up to
//        date here with the number of ticked reports.
(function () {
  "use strict";

  var form = document.getElementById("queue-form");
  var all = document.getElementById("select-all");
  if (!form) {
    return;
  }
  var generic = form.dataset.confirm;

  function boxes() {
    return form.querySelectorAll('input[type="checkbox"][name="report"]');
  }

  function update() {
    var list = boxes();
    var ticked = 0;
    for (var i = 0; i < list.length; i++) {
      if (list[i].checked) {
        ticked++;
      }
    }
    if (all) {
      all.checked = list.length > 0 && ticked === list.length;
      all.indeterminate = ticked > 0 && ticked < list.length;
      all.disabled = list.length === 0;
    }
    if (ticked === 0) {
      form.dataset.confirm = generic;
    } else if (ticked === 1 && form.dataset.confirmOne) {
      form.dataset.confirm = form.dataset.confirmOne;
    } else if (ticked > 1 && form.dataset.confirmMany) {
      form.dataset.confirm = form.dataset.confirmMany.replace("{count}", String(ticked));
    }
  }

  if (all) {
    all.addEventListener("change", function () {
      var list = boxes();
      for (var i = 0; i < list.length; i++) {
        list[i].checked = all.checked;
      }
      update();
    });
  }
  form.addEventListener("change", function (event) {
    if (event.target && event.target.name === "report") {
      update();
    }
  });
  update();
})();
