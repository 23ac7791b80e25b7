/**
 * @module The store contract (src/store/types.ts), checked through the public Store interface only.
 * Every engine runs this one suite, the way unstorage's `testDriver` runs one suite on every driver:
 * `testStore('lowdb', engine)` from a `*-conformance.test.ts` file. What is engine-specific (a crash
 * image, tearing the log's tail) comes in as optional hooks; without them those checks are skipped.
 */
import { describe } from 'node:test';
import type { StoreEngine } from './conformance-kit.ts';
import { derivedValues } from './conformance-derived.ts';
import { durability } from './conformance-durability.ts';
import { historyReads } from './conformance-history.ts';
import { lifecycle } from './conformance-lifecycle.ts';

export type { EngineOptions, StoreEngine } from './conformance-kit.ts';

export function testStore(name: string, engine: StoreEngine): void {
  describe(`the ${name} store keeps the store contract`, () => {
    describe('durability', () => { durability(engine); });
    describe('history and hot reads', () => { historyReads(engine); });
    describe('retention, erasure, torn log', () => { lifecycle(engine); });
    describe('derived day values', () => { derivedValues(engine); });
  });
}
