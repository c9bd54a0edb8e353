// Drives memjs (binary protocol) against a memcached port given as the first argument and checks
// each answer; prints one "ok <step>" line per step and exits 1 at the first mismatch.
// Run by server-lite's MemjsClientTest (skipped when node or memjs are missing).
'use strict';
const assert = require('assert');
const memjs = require('memjs');

const port = process.argv[2];
const client = memjs.Client.create('127.0.0.1:' + port, {retries: 0, timeout: 3, conntimeout: 3, logger: {log() {}}});

async function step(name, fn) {
  await fn();
  console.log('ok ' + name);
}

async function main() {
  await step('set/get', async () => {
    assert.strictEqual(await client.set('js:k', 'hello', {expires: 0}), true);
    const r = await client.get('js:k');
    assert.strictEqual(r.value.toString(), 'hello');
    assert.strictEqual((await client.get('js:missing')).value, null);
  });
  await step('add/replace', async () => {
    assert.strictEqual(await client.add('js:k', 'other'), false);   // memjs reads 0x0002 as "not added"
    assert.strictEqual(await client.add('js:new', 'n'), true);
    assert.strictEqual(await client.replace('js:new', 'N'), true);
    assert.strictEqual(await client.replace('js:absent', 'x'), false); // and 0x0001 as "not replaced"
    assert.strictEqual((await client.get('js:new')).value.toString(), 'N');
  });
  await step('append/prepend', async () => {
    assert.strictEqual(await client.append('js:k', '!'), true);
    assert.strictEqual(await client.prepend('js:k', '>'), true);
    await assert.rejects(client.append('js:absent', 'x'), /Item not stored/); // 0x0005
    // memjs 1.3.2's prepend sends opcode 0x0e (APPEND): memcached answers the same
    assert.strictEqual((await client.get('js:k')).value.toString(), 'hello!>');
  });
  await step('increment/decrement', async () => {
    let r = await client.increment('js:n', 5, {initial: 10});
    assert.deepStrictEqual(r, {success: true, value: 10});     // created with the initial value
    r = await client.increment('js:n', 5, {});
    assert.strictEqual(r.value, 15);
    r = await client.decrement('js:n', 20, {});
    assert.strictEqual(r.value, 0);                             // stops at zero
    await assert.rejects(client.increment('js:k', 1, {}));      // non-numeric
  });
  await step('touch/delete', async () => {
    assert.strictEqual(await client.touch('js:k', 100), true);
    assert.strictEqual(await client.touch('js:absent', 100), false);
    assert.strictEqual(await client.delete('js:new'), true);
    assert.strictEqual(await client.delete('js:new'), false);
  });
  await step('stats', async () => {
    const stats = await new Promise((resolve, reject) =>
      client.stats((err, server, s) => err ? reject(err) : resolve(s)));
    assert.ok(Number(stats.curr_items) >= 1, JSON.stringify(stats));
    assert.ok('get_hits' in stats && 'version' in stats);
  });
  await step('flush', async () => {
    await client.flush();
    assert.strictEqual((await client.get('js:k')).value, null);
  });
  client.quit();
}

main().then(() => console.log('done'), (e) => {
  console.log('FAILED: ' + (e && e.stack || e));
  process.exit(1);
});
