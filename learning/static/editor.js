// Live preview for editors. The page works without it: the Preview button
// posts the form and the server renders the same preview.
(function () {
  "use strict";
  var form = document.getElementById("editor-form");
  if (!form || !window.fetch) return;
  var source = form.querySelector("textarea");
  var side = document.getElementById("editor-side");
  var timer = null;
  var sent = 0;

  function refresh() {
    var body = new FormData();
    body.append("source", source.value);
    body.append("lesson_id", form.dataset.lessonId || "");
    var token = form.querySelector("input[name=csrf_token]");
    var ticket = ++sent;
    fetch(form.dataset.previewUrl, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRFToken": token ? token.value : "" }
    }).then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (data && ticket === sent) side.innerHTML = data.html; // server-rendered, sanitised
      }).catch(function () { /* offline: the Preview button still works later */ });
  }

  source.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 600);
  });

  // After a press with problems, their summary is at the top: take the focus
  // there so that a screen reader reads it first too.
  var outcome = document.getElementById("outcome");
  if (outcome) outcome.focus({ preventScroll: true });

  // "Line 12" in a problem list (the summary at the top, or the live one
  // beside the text) selects that line in the text.
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-line]");
    if (!link) return;
    event.preventDefault();
    var lines = source.value.split("\n");
    var n = Math.max(1, Math.min(lines.length, parseInt(link.dataset.line, 10)));
    var start = 0;
    for (var i = 0; i < n - 1; i++) start += lines[i].length + 1;
    source.focus();
    source.setSelectionRange(start, start + lines[n - 1].length);
    var lineHeight = parseFloat(getComputedStyle(source).lineHeight) || 20;
    source.scrollTop = Math.max(0, (n - 3) * lineHeight);
  });
})();
