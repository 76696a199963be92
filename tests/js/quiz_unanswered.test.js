// Submitting with questions unanswered: the page asks first, from what it
// holds (answers not yet sent included), and says the server's "unanswered"
// refusal the same way. Run by tests/unit/test_quiz_script.py (node --test).
const test = require("node:test");
const assert = require("node:assert");
const { makeTab, shared, reset } = require("./quiz_harness");

const tick = () => new Promise(resolve => setImmediate(resolve));
const settle = async () => { for (let i = 0; i < 5; i++) await tick(); };
const kept = () => JSON.parse(shared["quiz-attempt-1"] || '{"submit": 0, "refused": 0}');
const urls = tab => tab.fetches.map(f => f.url);

function press(tab, action) {
  (tab.listeners["form:submit"] || []).forEach(f => f({ submitter: { value: action }, preventDefault() {} }));
}

async function answerSaves(tab) {  // the server acknowledges every save the tab sent
  while (tab.fetches.length && tab.fetches[0].url === "/save") { await tab.respond(0); tab.timers = []; }
}

function reply(tab, status, data) {
  const request = tab.fetches.shift();
  request.resolve({ status, ok: status < 400, type: "basic", json: () => Promise.resolve(data) });
  return request;
}

async function opened(keys, options) {
  reset();
  const tab = makeTab("A", keys, options);
  await tick(); tab.timers = [];
  return tab;
}

test("Submit with questions unanswered says how many and which, and submits nothing", async () => {
  const a = await opened(["q1", "q2", "q3"]);
  a.choose("q2", "b");
  press(a, "submit"); await tick();
  assert.strictEqual(a.warning.hidden, false);
  assert.strictEqual(a.warning.title(), "2 câu chưa trả lời");
  assert.deepStrictEqual(a.warning.links().map(l => [l.textContent, l.href]),
    [["Câu 1", "#question-q1"], ["Câu 3", "#question-q3"]]);
  assert.ok(a.warning.focused && a.warning.scrolled);
  assert.deepStrictEqual(urls(a), ["/save"]);  // the answer given is still sent
  await answerSaves(a); a.fireTimers(); await settle();
  assert.deepStrictEqual(urls(a), []);
  assert.strictEqual(kept().submit, 0);
});

test("answers given on the phone but not sent yet count as answers", async () => {
  const a = await opened(["q1", "q2"], { checked: { q1: "a" } });
  a.choose("q2", "c"); a.timers = [];  // kept on the phone, not sent
  press(a, "submit"); await tick();
  assert.strictEqual(a.warning.hidden, true);
  assert.deepStrictEqual(urls(a), ["/save"]);
  await answerSaves(a); await settle();
  assert.deepStrictEqual(urls(a), ["/submit"]);
  assert.deepStrictEqual(a.fetches[0].body, {});  // not confirmed: the server counts again
});

test("Submit anyway sends the answers given, then submits with the member's confirmation", async () => {
  const a = await opened(["q1", "q2"]);
  a.choose("q1", "a");
  press(a, "submit"); await tick();
  const click = a.warning.parts["#submit-anyway"].click();
  assert.ok(click.defaultPrevented);
  assert.strictEqual(a.warning.hidden, true);
  await answerSaves(a); await settle();
  assert.deepStrictEqual(urls(a), ["/submit"]);
  assert.deepStrictEqual(a.fetches[0].body, { confirm: 1 });
  reply(a, 200, { result: "/result" }); await settle();
  assert.strictEqual(a.ctx.window.location, "/result");
});

test("Keep answering hides the warning, shows the first unanswered question and submits nothing", async () => {
  const a = await opened(["q1", "q2", "q3"], { checked: { q1: "b" } });
  press(a, "submit"); await tick();
  const click = a.warning.parts["#keep-answering"].click();
  assert.ok(click.defaultPrevented);
  assert.strictEqual(a.warning.hidden, true);
  assert.ok(a.boxes.q2.scrolled && !a.boxes.q3.scrolled);
  a.fireTimers(); await settle();
  assert.ok(!urls(a).includes("/submit"));
  assert.strictEqual(kept().submit, 0);
});

test("the server's refusal of questions unanswered shows the same warning and is not retried", async () => {
  const a = await opened(["q1", "q2"], { checked: { q1: "a", q2: "b" } });
  press(a, "submit"); await tick();
  assert.deepStrictEqual(urls(a), ["/submit"]);
  reply(a, 409, { error: "1 câu chưa trả lời", unanswered: [{ number: 2, key: "q2" }] }); await settle();
  assert.strictEqual(a.warning.hidden, false);
  assert.strictEqual(a.warning.title(), "1 câu chưa trả lời");
  assert.deepStrictEqual(a.warning.links().map(l => l.href), ["#question-q2"]);
  a.fireTimers(); await settle();
  assert.deepStrictEqual(urls(a), []);
  assert.ok(kept().submit <= kept().refused);
});

test("a confirmed submission cut off by the network is still confirmed after a reload", async () => {
  const a = await opened(["q1", "q2"]);
  press(a, "submit"); await tick();
  a.warning.parts["#submit-anyway"].click(); await tick();
  reply(a, 503, {}); await settle();  // the network failed
  const reloaded = makeTab("A again", ["q1", "q2"]);
  await tick();
  assert.deepStrictEqual(urls(reloaded), ["/submit"]);
  assert.deepStrictEqual(reloaded.fetches[0].body, { confirm: 1 });
  assert.strictEqual(reloaded.warning.hidden, true);
});

test("time running out submits what was given without asking", async () => {
  const a = await opened(["q1", "q2"], { secondsLeft: 0 });
  a.intervals.forEach(f => f()); await settle();
  assert.strictEqual(a.warning.hidden, true);
  assert.deepStrictEqual(urls(a), ["/submit"]);
  assert.deepStrictEqual(a.fetches[0].body, { confirm: 1 });
});
