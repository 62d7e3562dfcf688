/**
 * Child process for sqlite-owner.test.ts: opens the state database as its owner (as `npm start` does, through
 * createStore), writes one key, prints "owner <pid>" and blocks until its stdin closes (the parent kills it
 * with -9, or ends stdin to let it close cleanly).
 * Usage: node --import tsx sqlite-owner-child.ts <state database>
 */
import { createStore } from '../../src/store/index.ts';

const store = await createStore({ stateDb: process.argv[2] });
await store.set('written-by', String(process.pid));
process.stdout.write(`owner ${process.pid}\n`);
await new Promise<void>((resolve) => process.stdin.once('end', resolve).resume());
await store.close();
