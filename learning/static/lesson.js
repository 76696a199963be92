// Records that the lesson was read once its end comes into view.
// Without JavaScript, starting the quiz records it instead.
(function () {
  "use strict";
  var end = document.getElementById("quiz");
  if (!end || end.dataset.read || !("IntersectionObserver" in window) || !window.fetch) return;
  var token = document.querySelector("meta[name=csrf-token]");
  var observer = new IntersectionObserver(function (entries) {
    if (!entries.some(function (e) { return e.isIntersecting; })) return;
    observer.disconnect();
    fetch(end.dataset.readUrl, { method: "POST", credentials: "same-origin",
      headers: { "X-CSRFToken": token ? token.content : "" } }).catch(function () {});
  });
  observer.observe(end);
})();
