// The progress page of a PDF rendered in the background (templates/renaksi/dokumen_disiapkan.html):
// asks the server how far the rendering is, shows it, and starts the download when it is ready.
// Without this script the page reloads itself (noscript refresh) and the reload downloads it.
(function () {
  "use strict";
  var box = document.getElementById("dokumen-disiapkan");
  if (!box) {
    return;
  }
  var bar = document.getElementById("progres-dokumen");
  var text = document.getElementById("progres-teks");
  var format = document.getElementById("progres-format");
  var pattern = format ? format.innerHTML.trim() : "";
  var delay = 1500;

  function show(state) {
    if (bar && state.persen > 0) {
      bar.value = state.persen;
      bar.textContent = state.persen + "%";
    }
    if (text && pattern) {
      text.textContent = pattern
        .replace("__DONE__", state.baris)
        .replace("__TOTAL__", state.baris_total)
        .replace("__PAGES__", state.halaman);
    }
  }

  function poll() {
    fetch(box.dataset.progresUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (state) {
        show(state);
        if (state.siap) {
          document.getElementById("progres-siap").hidden = false;
          window.location.href = box.dataset.unduhUrl;
          return;
        }
        if (state.gagal) {
          document.getElementById("progres-gagal").hidden = false;
          return;
        }
        if (state.status === "") {
          // Nothing is rendering this document (the plan changed meanwhile): ask anew.
          window.location.reload();
          return;
        }
        window.setTimeout(poll, delay);
      })
      .catch(function () {
        window.setTimeout(poll, delay * 2);
      });
  }

  window.setTimeout(poll, delay);
})();
