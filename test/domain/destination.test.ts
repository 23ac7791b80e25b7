import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { destinationOf, phoneDestinations } from '../../src/domain/destination.ts';
import { phone, team } from './harness.ts';

const reception = team('reception', ['11', '12'], { numbers: ['+49309999'] });
const sales = team('sales', ['21']);

describe('which destinations a phone serves', () => {
  test('a phone in no team serves its own extension', () => {
    const d = phoneDestinations(phone('805ec0000031', '31', []), [reception, sales]);
    assert.deepEqual(d.served, ['ext:31']);
    assert.deepEqual(d.all, ['ext:31']);
  });

  test('a phone serves the teams it is assigned to and the teams listing its lines, and a callback also finds calls filed under its extension', () => {
    const p = { ...phone('805ec0000011', '11', ['sales']), lines: [{ extension: '11' }] };
    const d = phoneDestinations(p, [reception, sales]);
    assert.deepEqual(d.served, ['reception', 'sales']);
    assert.deepEqual(d.all, ['reception', 'sales', 'ext:11']);
  });

  test('a PBX extension with no phone record serves the teams listing it', () => {
    assert.deepEqual(phoneDestinations({ extension: '21', lines: [], teamIds: [] }, [reception, sales]).served, ['sales']);
  });

  test('a call is filed under the team owning the dialled number, else the team listing the line that rang', () => {
    const p = phone('805ec0000011', '11', ['sales']);
    assert.equal(destinationOf(phoneDestinations(p, [reception, sales], '21'), '+49 30 9999'), 'reception');
    assert.equal(destinationOf(phoneDestinations(p, [reception, sales], '21'), ''), 'sales');
    assert.equal(destinationOf(phoneDestinations(p, [reception, sales]), ''), 'reception');
  });
});
