// The Kubernetes quantity forms the scheduler reads from requests and allocatable.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { memoryBytes, milliCpu, parseQuantity } from '../../src/sim/kube/quantity.js';

test('cpu: plain cores, millicores, decimals and exponents', () => {
  assert.equal(milliCpu('100m'), 100);
  assert.equal(milliCpu('1'), 1000);
  assert.equal(milliCpu('1.5'), 1500);
  assert.equal(milliCpu('0.1'), 100);
  assert.equal(milliCpu('1e3'), 1_000_000);
  assert.equal(milliCpu('1900m'), 1900);
  assert.equal(milliCpu('250000u'), 250);
  assert.equal(milliCpu(2), 2000);
});

test('cpu below a millicore rounds up, as the API server does', () => {
  assert.equal(milliCpu('1u'), 1);
  assert.equal(milliCpu('100n'), 1);
});

test('memory: binary and decimal suffixes, plain bytes and exponents', () => {
  assert.equal(memoryBytes('512Mi'), 512 * 2 ** 20);
  assert.equal(memoryBytes('1Gi'), 2 ** 30);
  assert.equal(memoryBytes('7864320Ki'), 7864320 * 1024);
  assert.equal(memoryBytes('1G'), 1e9);
  assert.equal(memoryBytes('128974848'), 128974848);
  assert.equal(memoryBytes('129e6'), 129e6);
  assert.equal(memoryBytes('1.5Gi'), 1.5 * 2 ** 30);
  assert.equal(memoryBytes('1k'), 1000);
});

test('what is not a quantity is NaN, not a guess', () => {
  for (const bad of ['', 'abc', '1GB', '1 Gi', 'Mi', '1.2.3', undefined]) assert.ok(Number.isNaN(parseQuantity(bad)), String(bad));
  assert.equal(parseQuantity(' 2 '), 2);
});
