// Searchable multi-selects: every <select multiple data-searchable> (tracker/widgets.py,
// SearchableSelectMultiple) becomes a Tom Select (static/vendor/tom-select).
//
// base.html loads this small file on every page; the library itself (its script and
// its stylesheet, named in this script tag's data attributes so the hashed names of
// the production static files work) is fetched only on a page that has such a list.
// Without JavaScript, or if the library fails to load, the plain list stays.
// Once a list is ready it receives a "multiselect:ready" event (signing_event_form.js
// waits for it); the Tom Select instance is then at select.tomselect.
(function () {
  "use strict";
  var selects = document.querySelectorAll("select[multiple][data-searchable]");
  var me = document.currentScript;
  if (!selects.length || !me) {
    return;
  }

  function settingsFor(select) {
    var data = select.dataset;
    return {
      plugins: {
        remove_button: { title: data.removeLabel || "Remove" },
      },
      // Show every match (the library's default stops at 50): lists are a few hundred at most.
      maxOptions: null,
      // Keep the list open while picking several; Escape or Tab closes it.
      closeAfterSelect: false,
      hidePlaceholder: false,
      placeholder: data.placeholder || "",
      // "detail": a record's full name when the list shows a short one (tracker/widgets.py).
      searchField: ["text", "detail"],
      render: {
        option: function (item, escape) {
          var detail = item.detail
            ? '<div class="small text-body-secondary">' + escape(item.detail) + "</div>"
            : "";
          return "<div>" + escape(item.text) + detail + "</div>";
        },
        no_results: function (query, escape) {
          var text = (data.noResults || "").replace("%(query)s", query.input);
          return '<div class="no-results">' + escape(text) + "</div>";
        },
      },
    };
  }

  function enhance() {
    selects.forEach(function (select) {
      if (select.tomselect) {
        return;
      }
      new window.TomSelect(select, settingsFor(select));
      // The library points the field's label at its search input; the original list,
      // hidden but still read by screen readers, keeps its name through the same label.
      var label = document.querySelector('label[for="' + select.id + '-ts-control"]');
      if (label && label.id) {
        select.setAttribute("aria-labelledby", label.id);
      }
      select.dispatchEvent(new CustomEvent("multiselect:ready", { bubbles: true }));
    });
  }

  var css = document.createElement("link");
  css.rel = "stylesheet";
  css.href = me.dataset.tomSelectCss;
  document.head.appendChild(css);

  var script = document.createElement("script");
  script.src = me.dataset.tomSelectJs;
  script.addEventListener("load", enhance);
  document.body.appendChild(script);
})();
