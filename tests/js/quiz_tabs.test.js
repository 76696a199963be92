// Two tabs of one quiz attempt on one phone: they share what the phone keeps,
// and no order of freezing, waking and replies loses or reverts an answer.
// Run by tests/unit/test_quiz_script.py (node --test).
const test = require("node:test");
const assert = require("node:assert");
const { makeTab, server, shared, reset } = require("./quiz_harness");

const tick = () => new Promise(resolve => setImmediate(resolve));
const kept = () => JSON.parse(shared["quiz-attempt-1"]);

async function sendAll(tab) {
  while (tab.fetches.length) { await tab.respond(0); tab.timers = []; }
}

function press(tab, action) {
  (tab.listeners["form:submit"] || []).forEach(f => f({ submitter: { value: action }, preventDefault() {} }));
}

test("a late reply to a frozen tab never overwrites the newer answer given in the other tab", async () => {
  reset();
  const a = makeTab("A", ["q1"]), b = makeTab("B", ["q1"]);
  await tick(); a.timers = []; b.timers = [];
  a.choose("q1", "a"); a.fireTimers(); await tick();  // A's save leaves, then A is frozen
  b.deliverStorage(); b.timers = [];
  b.choose("q1", "c"); b.fireTimers(); await tick();
  await sendAll(b);
  assert.deepStrictEqual(server.answers.q1.values, ["c"]);
  a.sendToServer(); await a.deliverResponse();  // A wakes: its old save arrives late, is refused as stale
  a.fireTimers(); await tick();
  await sendAll(a);
  a.deliverStorage(); b.deliverStorage();
  assert.deepStrictEqual(server.answers.q1.values, ["c"]);
  assert.strictEqual(a.shown("q1"), "c");
  assert.strictEqual(a.status("q1"), "saved");
  assert.strictEqual(b.shown("q1"), "c");
});

test("a tab that missed the other's answer shows it, not its own older one, once it reads the phone's copy", async () => {
  reset();
  const a = makeTab("A", ["q1"]), b = makeTab("B", ["q1"]);
  await tick(); a.timers = []; b.timers = [];
  a.choose("q1", "a"); a.timers = [];  // offline: kept on the phone only
  b.storageQueue = [];  // B never hears of it
  b.choose("q1", "c"); b.fireTimers(); await tick();
  await sendAll(b);
  a.deliverStorage();
  assert.deepStrictEqual(server.answers.q1.values, ["c"]);
  assert.strictEqual(a.shown("q1"), "c");
  assert.strictEqual(a.status("q1"), "saved");
  assert.deepStrictEqual(kept().pending, {});
});

test("unsent answers of two tabs are both kept on the phone", async () => {
  reset();
  const a = makeTab("A", ["q1", "q2"]), b = makeTab("B", ["q1", "q2"]);
  await tick(); a.timers = []; b.timers = [];
  a.choose("q1", "a"); a.timers = [];
  b.storageQueue = [];
  b.choose("q2", "b");  // B writes last, without having heard of A's answer
  assert.deepStrictEqual(Object.keys(kept().pending).sort(), ["q1", "q2"]);
  b.fireTimers(); await tick();
  await sendAll(b);
  assert.deepStrictEqual(server.answers.q1.values, ["a"]);
  assert.deepStrictEqual(server.answers.q2.values, ["b"]);
});

test("a press on Submit kept on the phone survives the other tab's writes", async () => {
  reset();
  const answered = { checked: { q1: "a", q2: "c" } };  // saved earlier: the page opens with them
  const a = makeTab("A", ["q1", "q2"], answered), b = makeTab("B", ["q1", "q2"], answered);
  await tick(); a.timers = []; b.timers = [];
  press(a, "submit"); a.fetches = [];  // offline
  b.deliverStorage(); b.choose("q2", "b"); b.timers = [];
  assert.ok(kept().submit > kept().refused);
});

test("a refused submission is not retried when the other tab writes", async () => {
  reset();
  const a = makeTab("A", ["q1"], { checked: { q1: "b" } }), b = makeTab("B", ["q1"], { checked: { q1: "b" } });
  await tick(); a.timers = []; b.timers = [];
  press(a, "submit"); await tick();
  const request = a.fetches.shift();
  assert.strictEqual(request.url, "/submit");
  request.resolve({ status: 422, ok: false, json: () => Promise.resolve({ error: "too short" }) });
  for (let i = 0; i < 5; i++) await tick();
  b.deliverStorage(); b.choose("q1", "a"); b.fireTimers(); await tick();
  await sendAll(b);
  b.fireTimers(); await tick();
  assert.deepStrictEqual(b.fetches.map(f => f.url), []);
  assert.ok(kept().submit <= kept().refused);
});

test("an answer given after another phone's save wins, with a later number", async () => {
  reset();
  const a = makeTab("A", ["q1"]);
  await tick(); a.timers = [];
  server.answers.q1 = { values: ["b"], seq: 50 };
  a.choose("q1", "a"); a.fireTimers(); await tick();
  while (a.fetches.length) { await a.respond(0); a.fireTimers(); await tick(); }
  assert.deepStrictEqual(server.answers.q1, { values: ["a"], seq: 51 });
  assert.strictEqual(a.status("q1"), "saved");
});

test("the other tab's writes never hurry a retry that is waiting", async () => {
  reset();
  const a = makeTab("A", ["q1", "q2"]), b = makeTab("B", ["q1", "q2"]);
  await tick(); a.timers = []; b.timers = [];
  a.choose("q1", "a"); a.fireTimers(); await tick();
  a.fetches.shift().resolve({ status: 503, ok: false });  // the server is struggling: back off
  for (let i = 0; i < 5; i++) await tick();
  assert.deepStrictEqual(a.timers.map(t => t.ms), [10000]);
  b.choose("q2", "b");
  a.deliverStorage();
  assert.deepStrictEqual(a.timers.map(t => t.ms), [10000]);
});
