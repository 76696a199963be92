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

function makeTab(name, keys) {
  const tab = { name, timers: [], listeners: {}, storageQueue: [], fetches: [], log: [] };
  const boxes = {};
  keys.forEach(k => {
    const inputs = ["a", "b", "c"].map(v => ({ type: "radio", value: v, checked: false }));
    const line = { dataset: {}, textContent: "" };
    boxes[k] = { dataset: { key: k }, inputs, line,
      querySelectorAll: () => inputs, querySelector: s => s === ".qstatus" ? line : null,
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
  const document = {
    querySelector: () => null,
    getElementById: id => id === "quiz-form" ? form : id === "sync" ? sync : id === "timer" ? null
      : boxes[id.replace("question-", "")] || null,
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
    setInterval: () => 0, clearInterval: () => {},
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
