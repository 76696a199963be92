// A save the server refuses as malformed (400 with `invalid`: a character no
// database stores) is not resent forever: those answers are marked refused
// and the others go on. A 400 without it (an expired form) keeps everything
// queued, as a lost session does. Run by tests/unit/test_quiz_script.py.
const test = require("node:test");
const assert = require("node:assert");
const { makeTab, reset } = require("./quiz_harness");

const tick = () => new Promise(resolve => setImmediate(resolve));
const settle = async () => { for (let i = 0; i < 5; i++) await tick(); };

function reply(tab, status, data) {
  const request = tab.fetches.shift();
  request.resolve({ status, ok: status < 400, type: "basic", json: () => Promise.resolve(data) });
  return request;
}

async function opened(keys) {
  reset();
  const tab = makeTab("A", keys);
  await tick(); tab.timers = [];
  return tab;
}

test("a save refused as malformed is marked refused and not resent", async () => {
  const a = await opened(["q1", "q2"]);
  a.choose("q1", "a");
  a.fireTimers(); await tick();
  assert.strictEqual(a.fetches.length, 1);
  reply(a, 400, { error: "Câu 1 có ký tự không thể lưu", invalid: true }); await settle();
  assert.strictEqual(a.status("q1"), "refused");
  assert.strictEqual(a.sync.textContent, "Câu 1 có ký tự không thể lưu");
  a.fireTimers(); await settle();
  assert.strictEqual(a.fetches.length, 0, "nothing is resent");
  a.choose("q2", "b");  // another answer still goes
  a.fireTimers(); await tick();
  assert.deepStrictEqual(a.fetches[0].body.answers.map(x => x.key), ["q2"]);
});

test("a 400 without `invalid` (an expired form) keeps the answers queued", async () => {
  const a = await opened(["q1"]);
  a.choose("q1", "a");
  a.fireTimers(); await tick();
  reply(a, 400, { error: "The form has expired" }); await settle();
  assert.strictEqual(a.status("q1"), "pending");
  a.fireTimers(); await tick();
  assert.deepStrictEqual(a.fetches[0].body.answers.map(x => x.key), ["q1"]);
});

test("only the answer the server names is refused; the others of the save are sent again", async () => {
  const a = await opened(["q1", "q2"]);
  a.choose("q1", "a");
  a.choose("q2", "b");
  a.fireTimers(); await tick();
  assert.deepStrictEqual(a.fetches[0].body.answers.map(x => x.key).sort(), ["q1", "q2"]);
  reply(a, 400, { error: "Câu trả lời 2 có ký tự không thể lưu", invalid: true, invalid_keys: ["q2"] });
  await settle();
  assert.strictEqual(a.status("q2"), "refused");
  a.fireTimers(); await tick();
  assert.deepStrictEqual(a.fetches[0].body.answers.map(x => x.key), ["q1"]);
});
