// A stand-in browser for learning/static/quiz.js: "tabs" that share one
// localStorage, with storage events, timers and requests under the test's
// control, and a server that keeps a save unless it holds a newer one (as
// study.save_answers does). Tabs can be frozen and woken in any order, which
// a real browser test cannot arrange.
const fs = require("fs"), path = require("path"), vm = require("vm");
const SRC = fs.readFileSync(path.join(__dirname, "..", "..", "learning", "static", "quiz.js"), "utf8");

const shared = {};  // localStorage contents
const server = { answers: {} };  // key -> {values, seq}

function reset() {
  Object.keys(shared).forEach(k => delete shared[k]);
  server.answers = {};
  makeTab.tabs.length = 0;
}
function serverSave(body) {
  const saved = [], stale = [];
  body.answers.forEach(a => {
    const cur = server.answers[a.key];
    if (!cur || cur.seq <= a.seq) { server.answers[a.key] = { values: a.values, seq: a.seq }; saved.push({ key: a.key, seq: a.seq }); }
    else stale.push({ key: a.key, seq: cur.seq });
  });
  return { attempt: 1, saved, stale, seconds_left: null };
}

// A stand-in element: what the script touches of the unanswered warning.
function element(props = {}) {
  const el = { hidden: false, dataset: {}, children: [], listeners: {}, href: "", focused: false, scrolled: false,
    ...props };
  let text = "";
  Object.defineProperty(el, "textContent", {
    get: () => text + el.children.map(c => c.textContent).join(""),
    set: v => { text = String(v); el.children = []; },
  });
  el.appendChild = child => { el.children.push(child); return child; };
  el.addEventListener = (t, f) => { (el.listeners[t] = el.listeners[t] || []).push(f); };
  el.click = () => { const event = { defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } };
    (el.listeners.click || []).forEach(f => f(event)); return event; };
  el.focus = () => { el.focused = true; };
  el.scrollIntoView = () => { el.scrolled = true; };
  return el;
}

// The warning as templates/study/quiz/_unanswered.html renders it, hidden.
function makeWarning() {
  const parts = { "#unanswered-title": element(), ".unanswered-list": element(),
    "#submit-anyway": element(), "#keep-answering": element({ href: "/attempts/1" }) };
  const warning = element({ hidden: true, parts,
    dataset: { tcounts: JSON.stringify(["1 câu chưa trả lời", "2 câu chưa trả lời", "3 câu chưa trả lời"]),
               tquestion: "Câu {n}" } });
  warning.querySelector = s => parts[s] || null;
  warning.title = () => parts["#unanswered-title"].textContent;
  warning.links = () => parts[".unanswered-list"].children.map(li => li.children[0]);
  return warning;
}

// `checked`: question → the choice the page shows as saved when it opens;
// `secondsLeft`: the attempt's time limit, as the page's countdown starts it.
function makeTab(name, keys, { checked = {}, secondsLeft = null } = {}) {
  const tab = { name, timers: [], intervals: [], listeners: {}, storageQueue: [], fetches: [], log: [] };
  const timer = secondsLeft === null ? null : element({ dataset: { secondsLeft: String(secondsLeft) },
    classList: { toggle() {} } });
  if (timer) { const clock = element(); timer.querySelector = () => clock; }
  const boxes = {};
  keys.forEach(k => {
    const inputs = ["a", "b", "c"].map(v => ({ type: "radio", value: v, checked: checked[k] === v, focus() {} }));
    const line = { dataset: {}, textContent: "" };
    boxes[k] = { dataset: { key: k }, inputs, line, scrolled: false,
      querySelectorAll: () => inputs,
      querySelector: s => s === ".qstatus" ? line : s.startsWith("input") ? inputs[0] : null,
      scrollIntoView() { this.scrolled = true; },
      closest: () => boxes[k] };
  });
  tab.boxes = boxes;
  const form = {
    dataset: { attempt: "1", seqFloor: "0", saveUrl: "/save", submitUrl: "/submit", resultUrl: "/result" },
    querySelector: () => ({ value: "tok" }),
    querySelectorAll: s => s.startsWith("fieldset") ? Object.values(boxes) : [],
    addEventListener: (t, f) => { (tab.listeners["form:" + t] = tab.listeners["form:" + t] || []).push(f); },
  };
  const sync = { dataset: {}, textContent: "" };
  const warning = makeWarning();
  tab.warning = warning;
  tab.sync = sync;
  const document = {
    querySelector: () => null,
    getElementById: id => id === "quiz-form" ? form : id === "sync" ? sync : id === "timer" ? timer
      : id === "unanswered" ? warning : boxes[id.replace("question-", "")] || null,
    createElement: tag => element({ tagName: tag.toUpperCase() }),
  };
  const localStorage = {
    getItem: k => (k in shared ? shared[k] : null),
    setItem: (k, v) => { shared[k] = v; tabs.forEach(t => { if (t !== tab) t.storageQueue.push({ key: k, newValue: v }); }); },
    removeItem: k => { delete shared[k]; tabs.forEach(t => { if (t !== tab) t.storageQueue.push({ key: k, newValue: null }); }); },
  };
  let timerId = 0;
  const window = {
    fetch: (url, opts) => new Promise(resolve => tab.fetches.push({ url, body: JSON.parse(opts.body), resolve })),
    JSON, location: "",
    addEventListener: (t, f) => { (tab.listeners["win:" + t] = tab.listeners["win:" + t] || []).push(f); },
    dispatchEvent: () => {},
  };
  const ctx = {
    window, document, localStorage, navigator: { onLine: true }, JSON, Object, Math, parseInt, Promise, Error, console,
    setTimeout: (f, ms) => { const id = ++timerId; tab.timers.push({ id, f, ms }); return id; },
    clearTimeout: id => { tab.timers = tab.timers.filter(t => t.id !== id); },
    setInterval: f => { tab.intervals.push(f); return tab.intervals.length; }, clearInterval: () => {},
    Date,
  };
  ctx.fetch = window.fetch;
  tab.ctx = ctx;
  tab.choose = (key, value) => {
    boxes[key].inputs.forEach(i => i.checked = i.value === value);
    (tab.listeners["form:change"] || []).forEach(f => f({ target: { closest: () => boxes[key] } }));
  };
  tab.shown = key => (boxes[key].inputs.find(i => i.checked) || {}).value;
  tab.status = key => boxes[key].line.dataset.status;
  tab.deliverStorage = () => { const q = tab.storageQueue; tab.storageQueue = []; q.forEach(e => (tab.listeners["win:storage"] || []).forEach(f => f({ key: "quiz-attempt-1", newValue: e.newValue }))); };
  tab.fireTimers = () => { const ts = tab.timers; tab.timers = []; ts.forEach(t => t.f()); };
  tab.respond = async (i = 0) => {
    const f = tab.fetches.splice(i, 1)[0];
    const data = serverSave(f.body);
    tab.log.push(["sent", JSON.stringify(f.body.answers), "->", JSON.stringify(data)]);
    f.resolve({ status: 200, ok: true, type: "basic", json: () => Promise.resolve(data) });
    await new Promise(r => setImmediate(r)); await new Promise(r => setImmediate(r));
  };
  tab.sendToServer = () => { // the request leaves the tab and reaches the server now; response held
    const f = tab.fetches[0]; const data = serverSave(f.body); f.data = data;
    tab.log.push(["arrived", JSON.stringify(f.body.answers), "->", JSON.stringify(data)]);
  };
  tab.deliverResponse = async () => {
    const f = tab.fetches.shift();
    f.resolve({ status: 200, ok: true, type: "basic", json: () => Promise.resolve(f.data) });
    for (let i = 0; i < 5; i++) await new Promise(r => setImmediate(r));
  };
  const tabs = makeTab.tabs;
  tabs.push(tab);
  vm.runInNewContext(SRC, ctx);
  return tab;
}
makeTab.tabs = [];
module.exports = { makeTab, server, shared, reset };
