// Progressive enhancement of the realisation page; everything works without this script.
// On Simpan it leaves out the rows the user did not touch, so a large plan posts only the
// changed rows (the server treats a missing row as untouched), and it warns before leaving
// the page with unsaved changes.
(function () {
  "use strict";
  var form = document.getElementById("form-realisasi");
  if (!form) {
    return;
  }
  var submitting = false;

  function fields(row) {
    return row.querySelectorAll("input, textarea, select");
  }

  // A row is changed when a field differs from its hidden original ("initial-<name>") or a
  // file is chosen. Comparing text is conservative: "26.5" against "26,5" counts as changed
  // and the server, which parses both, decides.
  function rowChanged(row) {
    var list = fields(row);
    for (var i = 0; i < list.length; i++) {
      var field = list[i];
      if (field.type === "file") {
        if (field.files && field.files.length) {
          return true;
        }
        continue;
      }
      if (field.type === "hidden") {
        continue;
      }
      var original = form.elements.namedItem("initial-" + field.name);
      if (!original || original.value !== field.value) {
        return true;
      }
    }
    return false;
  }

  function changedRows() {
    return Array.prototype.filter.call(form.querySelectorAll("tr[data-baris]"), rowChanged);
  }

  form.addEventListener("submit", function () {
    submitting = true;
    form.querySelectorAll("tr[data-baris]").forEach(function (row) {
      if (!rowChanged(row)) {
        fields(row).forEach(function (field) {
          field.disabled = true;
        });
      }
    });
  });

  // Coming back through the browser's history must not leave rows disabled.
  window.addEventListener("pageshow", function () {
    submitting = false;
    form.querySelectorAll("tr[data-baris] [disabled]").forEach(function (field) {
      field.disabled = false;
    });
  });

  // A field reached with Tab scrolls into full view: inside the table (past its sticky NO
  // and URAIAN, by the box's scroll padding) and in the page (above the Save bar, by the
  // page's scroll padding).
  form.addEventListener("focusin", function (event) {
    if (event.target.closest("tr[data-baris]")) {
      event.target.scrollIntoView({ block: "nearest", inline: "nearest" });
    }
  });

  window.addEventListener("beforeunload", function (event) {
    if (!submitting && changedRows().length) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
