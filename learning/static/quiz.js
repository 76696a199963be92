// Saves each answer as it is given, and never loses one.
//
// Every change is written to localStorage first, with a sequence number, then
// sent to the server. Until the server acknowledges it, the answer stays queued
// on the phone: through a lost connection, a reload or an expired session.
// The server ignores a save older than the one it holds, so retries are safe.
// Two tabs of one attempt share that storage, and each takes in what the
// other wrote before writing, so neither overwrites the other's unsent answers.
// Without this script the page is a plain form that posts every answer.
(function () {
  "use strict";
  // On a result page: this attempt is over, forget what this phone kept of it
  // (it may have been submitted from another phone, or by the timer).
  var over = document.querySelector("[data-attempt-over]");
  if (over) {
    try { localStorage.removeItem("quiz-attempt-" + over.dataset.attemptOver); } catch (e) { /* nothing kept */ }
    return;
  }
  var form = document.getElementById("quiz-form");
  if (!form || !window.fetch || !window.JSON) return;

  var storeKey = "quiz-attempt-" + form.dataset.attempt;
  var token = form.querySelector("input[name=csrf_token]").value;
  var sync = document.getElementById("sync");
  var state = load();
  // Never send a number older than what the server already holds for this
  // attempt (saved from another phone, or before this phone's storage was cleared).
  var floor = parseInt(form.dataset.seqFloor, 10) || 0;
  state.seq = Math.max(state.seq, floor);
  var shown = {};  // question → the seq of the answer its box shows (the page's own: floor)
  var sending = false;
  var pressed = null;  // the button that submitted the form (event.submitter is missing on older iPhones)
  var retryTimer = null;

  // What this phone keeps of the attempt, shared by its tabs:
  //   pending: question → {values, seq} not yet acknowledged by the server;
  //   acked:   question → {values, seq}, the newest save the server
  //            acknowledged to any tab;
  //   submit:  the number of the latest press on Submit (0: none),
  //   confirmed: the number of the latest one the member confirmed with
  //            questions unanswered ("Submit anyway"), or the timer made, and
  //   refused: the number of the latest one the server refused.
  function stored() {
    try {
      var saved = JSON.parse(localStorage.getItem(storeKey) || "null");
      if (saved && saved.pending) {
        saved.acked = saved.acked || {};
        saved.dropped = saved.dropped || {};
        saved.submit = +saved.submit || 0;  // true → 1, as an earlier version of this script kept it
        saved.refused = saved.refused || 0;
        saved.confirmed = saved.confirmed || 0;
        return saved;
      }
    } catch (e) { /* private mode or corrupt: start afresh */ }
    return null;
  }

  function load() {
    return stored() || { seq: 0, pending: {}, acked: {}, dropped: {}, submit: 0, refused: 0, confirmed: 0 };
  }

  function ackedSeq(key) { return state.acked[key] ? state.acked[key].seq : 0; }

  // Done with: saved on the server, or refused by it as it was (never resent).
  function settledSeq(key) { return Math.max(ackedSeq(key), state.dropped[key] || 0); }

  function submitPending() { return state.submit > state.refused; }

  function submitConfirmed() { return state.confirmed >= state.submit; }

  // What another tab of this attempt wrote: for each question the newest
  // answer wins, whether still pending or acknowledged, and every box shows
  // it. `answering`: the question this tab is recording, whose box stays as is.
  function takeIn(other, answering) {
    if (!other) return;
    state.seq = Math.max(state.seq, other.seq || 0);
    state.submit = Math.max(state.submit, other.submit);
    state.refused = Math.max(state.refused, other.refused);
    state.confirmed = Math.max(state.confirmed, other.confirmed);
    Object.keys(other.acked).forEach(function (key) {
      if (other.acked[key].seq > ackedSeq(key)) state.acked[key] = other.acked[key];
    });
    Object.keys(other.dropped).forEach(function (key) {
      state.dropped[key] = Math.max(state.dropped[key] || 0, other.dropped[key]);
    });
    Object.keys(other.pending).forEach(function (key) {
      var theirs = other.pending[key], mine = state.pending[key];
      if (fieldset(key) && theirs.seq > settledSeq(key) && (!mine || theirs.seq > mine.seq)) state.pending[key] = theirs;
    });
    Object.keys(state.pending).forEach(function (key) {
      if (state.pending[key].seq <= settledSeq(key)) delete state.pending[key];
    });
    form.querySelectorAll("fieldset.question").forEach(function (box) {
      if (box.dataset.key !== answering) showNewest(box);
    });
  }

  function showNewest(box) {
    var key = box.dataset.key;
    var newest = state.pending[key] || state.acked[key];
    var showing = shown[key] === undefined ? floor : shown[key];
    if (!newest || newest.seq < showing) return;
    if (newest.seq > showing) {
      applyValues(box, newest.values);
      countWords(box);
      shown[key] = newest.seq;
    }
    var status = box.querySelector(".qstatus");
    var now = state.pending[key] ? "pending" : "saved";
    if (status && (newest.seq > showing || (now === "saved" && status.dataset.status !== "saved"))) mark(key, now);
  }

  function persist() {
    takeIn(stored());
    try { localStorage.setItem(storeKey, JSON.stringify(state)); } catch (e) { /* full: server copy remains */ }
  }

  // Translated messages come from data-t* attributes (no inline script: CSP).
  function text(name) { return form.dataset["t" + name] || ""; }

  function fieldset(key) { return document.getElementById("question-" + key); }

  function valuesOf(box) {
    var out = [];
    box.querySelectorAll("input, textarea").forEach(function (input) {
      if (input.type === "hidden") return;
      if ((input.type === "radio" || input.type === "checkbox") && !input.checked) return;
      out.push(input.value);
    });
    return out;
  }

  function applyValues(box, values) {
    box.querySelectorAll("input, textarea").forEach(function (input) {
      if (input.type === "hidden") return;
      if (input.type === "radio" || input.type === "checkbox") input.checked = values.indexOf(input.value) !== -1;
      else input.value = values[0] || "";
    });
  }

  function mark(key, status) {
    var box = fieldset(key);
    var line = box && box.querySelector(".qstatus");
    if (!line) return;
    line.dataset.status = status;
    line.textContent = text(status);
  }

  function summary() {
    var waiting = Object.keys(state.pending).length;
    if (!waiting) { sync.textContent = ""; sync.dataset.state = "ok"; return; }
    sync.dataset.state = navigator.onLine ? "sending" : "offline";
    sync.textContent = (navigator.onLine ? text("sending") : text("offline")).replace("{n}", waiting);
  }

  function record(box, wait) {
    var key = box.dataset.key;
    takeIn(stored(), key);  // the next number after any other tab's
    state.seq += 1;
    state.pending[key] = { values: valuesOf(box), seq: state.seq };
    shown[key] = state.seq;
    persist();  // on the phone at once; the network send may wait
    mark(key, "pending");
    summary();
    schedule(wait || 300);
  }

  // The server refused these answers as they are (a character no database
  // stores): resending them would fail forever and hold back the others. They
  // stay on the page for the member to change; changing one sends it again.
  function refuse(keys, sent, message) {
    keys.forEach(function (key) {
      if (state.pending[key] === sent[key]) {
        state.dropped[key] = sent[key].seq;
        delete state.pending[key];
        mark(key, "refused");
      }
    });
    persist();
    sync.dataset.state = "refused";
    sync.textContent = message || text("refused");
    if (Object.keys(state.pending).length) schedule(200);
    return false;
  }

  function schedule(ms) {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(function () { retryTimer = null; flush(); }, ms);
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST", credentials: "same-origin", redirect: "manual",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": token },
      body: JSON.stringify(body || {})
    });
  }

  function flush() {
    if (sending) return Promise.resolve(false);
    takeIn(stored());  // send nothing another tab has superseded or already saved
    var keys = Object.keys(state.pending);
    if (!keys.length) return submitPending() ? submit() : Promise.resolve(true);
    sending = true;
    var sent = {};
    var batch = keys.map(function (key) {
      sent[key] = state.pending[key];
      return { key: key, values: state.pending[key].values, seq: state.pending[key].seq };
    });
    keys.forEach(function (key) { mark(key, "qsending"); });
    return post(form.dataset.saveUrl, { answers: batch }).then(function (response) {
      if (response.status === 409) {  // the attempt closed (time ran out, or submitted elsewhere)
        clearStore();
        sync.dataset.state = "closed";
        sync.textContent = text("closed");
        setTimeout(function () { window.location = form.dataset.resultUrl; }, 2500);
        return false;
      }
      if (response.status === 404) {  // not this account's attempt (someone else signed in)
        sync.dataset.state = "closed";
        sync.textContent = text("session");
        return false;
      }
      if (response.status === 400 && response.type !== "opaqueredirect") {
        return response.json().then(function (data) {
          if (!data || !data.invalid) throw new Error("session");
          var named = (data.invalid_keys || []).filter(function (key) { return sent[key]; });
          return refuse(named.length ? named : keys, sent, data.error);
        }, function () { throw new Error("session"); });
      }
      if (response.type === "opaqueredirect" || response.status === 401) {
        throw new Error("session");  // signed out or token expired: keep everything queued
      }
      if (!response.ok) throw new Error("http " + response.status);
      return response.json().then(function (data) {
        data.saved.forEach(function (ack) {
          var now = state.pending[ack.key];
          if (sent[ack.key] && ack.seq > ackedSeq(ack.key)) {
            state.acked[ack.key] = { values: sent[ack.key].values, seq: ack.seq };
          }
          if (now && now.seq <= ack.seq) {  // a newer answer given meanwhile stays queued
            delete state.pending[ack.key];
            mark(ack.key, "saved");
          }
        });
        // The server holds a newer save. If another tab of this phone made
        // it, that one is the member's latest: take it in, drop ours. If
        // another phone did, what the member sees here now is what they
        // mean: resend it with a later number.
        takeIn(stored());
        (data.stale || []).forEach(function (stale) {
          var mine = state.pending[stale.key];
          if (!mine || mine.seq >= stale.seq) return;
          state.seq = Math.max(state.seq, stale.seq) + 1;
          mine.seq = state.seq;
          shown[stale.key] = mine.seq;
        });
        persist();
        return true;
      });
    }).catch(function (error) {
      keys.forEach(function (key) { if (state.pending[key]) mark(key, "pending"); });
      if (error && error.message === "session") sync.textContent = text("session");
      schedule(10000);
      return false;
    }).then(function (ok) {
      sending = false;
      if (ok === false) return false;
      summary();
      if (Object.keys(state.pending).length) { schedule(200); return false; }
      if (submitPending()) return submit();
      return true;
    });
  }

  function clearStore() {
    try { localStorage.removeItem(storeKey); } catch (e) { /* nothing to clear */ }
  }

  // `confirm`: the member chose to submit with questions unanswered (or the
  // time is up). Only then does the server submit an attempt with questions
  // unanswered; otherwise it says which, and the page asks.
  function submit(confirm) {
    if (!submitPending()) { state.seq += 1; state.submit = state.seq; }
    if (confirm) state.confirmed = state.submit;
    persist();
    if (Object.keys(state.pending).length) {
      sync.textContent = navigator.onLine ? text("sending").replace("{n}", Object.keys(state.pending).length) : text("submitoffline");
      return flush();
    }
    sync.textContent = text("submitting");
    return post(form.dataset.submitUrl, submitConfirmed() ? { confirm: 1 } : {}).then(function (response) {
      if (response.status === 409) {  // questions unanswered on the server: ask, as when the page counts them
        return response.json().then(function (data) {
          state.refused = Math.max(state.refused, state.submit);
          persist();
          summary();
          askFirst(data.unanswered || [], data.error);
        });
      }
      if (response.status === 422) {  // refused (a reflection too short): say why, do not retry
        return response.json().then(function (data) {
          state.refused = Math.max(state.refused, state.submit);
          persist();
          sync.dataset.state = "refused";
          sync.textContent = data.error;
        });
      }
      if (!response.ok) throw new Error("http " + response.status);
      return response.json().then(function (data) {
        clearStore();
        window.location = data.result;
      });
    }).catch(function () {
      sync.textContent = text("submitoffline");
      schedule(10000);
    });
  }

  // Answers typed on this phone but not yet acknowledged win over the page.
  Object.keys(state.pending).forEach(function (key) {
    var box = fieldset(key);
    if (!box) { delete state.pending[key]; return; }
    applyValues(box, state.pending[key].values);
    shown[key] = state.pending[key].seq;
    mark(key, "pending");
  });

  form.addEventListener("change", function (event) {
    var box = event.target.closest("fieldset.question");
    if (box) record(box);
  });
  form.addEventListener("input", function (event) {
    var box = event.target.closest("fieldset.question");
    if (box && (event.target.tagName === "TEXTAREA" || event.target.type === "text")) {
      countWords(box);
      record(box, 800);  // every keystroke kept on the phone; sent once typing pauses
    }
  });
  form.querySelectorAll("button[type=submit]").forEach(function (button) {
    button.addEventListener("click", function () { pressed = button.value; });
  });
  form.addEventListener("submit", function (event) {
    var action = (event.submitter && event.submitter.value) || pressed || "save";
    event.preventDefault();
    if (action === "submit") submitOrAsk();
    else if (action === "submit_confirmed") { hideWarning(); submit(true); }
    else flush();
  });

  // Submitting with questions unanswered asks first, in the page: the
  // warning (#unanswered, hidden in the HTML) says how many and which, with
  // "Submit anyway" and "Keep answering". The page counts from what it
  // holds, answers not yet sent included; the server counts again.
  var warning = document.getElementById("unanswered");
  var firstMissing = null;

  function unansweredInPage() {
    var missing = [];
    form.querySelectorAll("fieldset.question").forEach(function (box, index) {
      var given = valuesOf(box).some(function (value) { return value.trim() !== ""; });
      if (!given) missing.push({ number: index + 1, key: box.dataset.key });
    });
    return missing;
  }

  function submitOrAsk() {
    if (submitPending() && submitConfirmed()) return submit();  // confirmed already, still on its way
    var missing = unansweredInPage();
    if (!missing.length) { hideWarning(); return submit(); }
    askFirst(missing);
    return flush();  // the answers given so far still go to the server
  }

  function askFirst(missing, message) {
    if (!warning || !missing.length) {
      sync.dataset.state = "refused";
      sync.textContent = message || "";
      return;
    }
    var counts = [];
    try { counts = JSON.parse(warning.dataset.tcounts || "[]"); } catch (e) { /* the server's message below */ }
    warning.querySelector("#unanswered-title").textContent = counts[missing.length - 1] || message || String(missing.length);
    var list = warning.querySelector(".unanswered-list");
    list.textContent = "";
    missing.forEach(function (question) {
      var item = document.createElement("li"), link = document.createElement("a");
      link.href = "#question-" + question.key;
      link.textContent = (warning.dataset.tquestion || "{n}").replace("{n}", question.number);
      item.appendChild(link);
      list.appendChild(item);
    });
    firstMissing = missing[0].key;
    warning.querySelector("#keep-answering").href = "#question-" + firstMissing;
    warning.hidden = false;
    warning.scrollIntoView({ block: "start" });
    warning.focus({ preventScroll: true });
  }

  function hideWarning() {
    if (warning) warning.hidden = true;
  }

  if (warning) {
    warning.querySelector("#submit-anyway").addEventListener("click", function (event) {
      event.preventDefault();
      hideWarning();
      submit(true);
    });
    warning.querySelector("#keep-answering").addEventListener("click", function (event) {
      var box = firstMissing && fieldset(firstMissing);
      if (!box) return;  // filled by the server: its link reopens the page at the question
      event.preventDefault();
      hideWarning();
      box.scrollIntoView({ block: "start" });
      var control = box.querySelector("input:not([type=hidden]), textarea");
      if (control) control.focus({ preventScroll: true });
    });
  }
  window.addEventListener("online", function () { summary(); flush(); });
  window.addEventListener("storage", function (event) {  // another tab of this attempt wrote
    if (event.key !== storeKey || !event.newValue) return;  // removed: that tab saw the attempt end
    takeIn(stored());
    summary();
    // Never hurry a waiting retry (its back-off spares a struggling server).
    if (!retryTimer && !sending && (Object.keys(state.pending).length || submitPending())) schedule(300);
  });
  window.addEventListener("offline", summary);

  function countWords(box) {
    var area = box.querySelector("textarea");
    var out = box.querySelector(".words .count");
    if (!area || !out) return;
    var n = area.value.trim() ? area.value.trim().split(/\s+/).length : 0;
    out.textContent = text("words").replace("{n}", n);
  }
  form.querySelectorAll("fieldset.question").forEach(countWords);

  // The countdown is a courtesy: the server enforces the limit.
  var timer = document.getElementById("timer");
  if (timer) {
    var end = Date.now() + parseInt(timer.dataset.secondsLeft, 10) * 1000;
    var clock = timer.querySelector(".clock");
    var tick = setInterval(function () {
      var left = Math.max(0, Math.round((end - Date.now()) / 1000));
      clock.textContent = Math.floor(left / 60) + ":" + ("0" + (left % 60)).slice(-2);
      timer.classList.toggle("urgent", left <= 60);
      // Time is up: what was saved is submitted, never asked about (this
      // clock may run a little ahead of the server's, which would ask).
      if (left === 0) { clearInterval(tick); hideWarning(); submit(true); }
    }, 1000);
  }

  summary();
  if (submitPending()) submit(); else flush();
})();
