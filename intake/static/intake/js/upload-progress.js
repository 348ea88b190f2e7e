/*
 * Upload progress for the application form: sends the form with XMLHttpRequest so the
 * browser reports progress, then shows the server's page (the result, or the form with
 * its messages). Without JavaScript the form submits normally.
 */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-upload-progress]");
    if (!form || !window.FormData) { return; }
    var box = form.querySelector("[data-progress]");
    var bar = box && box.querySelector("progress");
    var text = box && box.querySelector("[data-progress-text]");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = form.querySelector("button[type=submit]");
      if (button) { button.disabled = true; }
      var request = new XMLHttpRequest();
      request.open("POST", form.action || window.location.href);
      request.upload.addEventListener("progress", function (e) {
        if (!e.lengthComputable || !box) { return; }
        box.hidden = false;
        var percent = Math.round((e.loaded / e.total) * 100);
        bar.value = percent;
        text.textContent = "已上传 " + percent + "%";
      });
      request.addEventListener("load", function () {
        document.open();
        document.write(request.responseText);
        document.close();
        window.scrollTo(0, 0);
      });
      request.addEventListener("error", function () {
        if (button) { button.disabled = false; }
        if (text) { text.textContent = "上传失败，请检查网络后重试。"; }
      });
      request.send(new FormData(form));
    });
  });
})();
