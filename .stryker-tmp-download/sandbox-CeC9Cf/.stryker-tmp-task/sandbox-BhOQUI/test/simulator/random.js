// @ts-check
'use strict';
/** Seeded PRNG (mulberry32) so fault knobs are reproducible. */

/** @param {number} seed @returns {() => number} uniform in [0, 1) */
function mulberry32(seed) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** An independent stream for (seed, stream number): same inputs, same numbers, whatever else ran. */
function rngFor(/** @type {number} */ seed, /** @type {number} */ stream) {
	return mulberry32((Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(stream + 1, 0x85ebca6b)) >>> 0);
}

module.exports = { mulberry32, rngFor };
