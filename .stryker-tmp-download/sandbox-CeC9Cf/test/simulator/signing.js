// @ts-check
'use strict';
/** Standard Webhooks signing as Kling's "Webhook Signature" (reference §5.4). Independent of nodes/**. */
const crypto = require('node:crypto');

/**
 * `v1,<base64 HMAC-SHA256(base64decode(secret without "whsec_"), "${id}.${timestamp}.${body}")>`
 * @param {string} secret @param {string} webhookId @param {number | string} timestamp seconds @param {string | Buffer} body
 */
function signWebhook(secret, webhookId, timestamp, body) {
	const key = Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64');
	const mac = crypto.createHmac('sha256', key).update(`${webhookId}.${timestamp}.`).update(body).digest('base64');
	return `v1,${mac}`;
}

/**
 * The three headers for one delivery.
 * @param {string} secret @param {string} webhookId @param {number} timestampSeconds @param {string} body
 */
function webhookHeaders(secret, webhookId, timestampSeconds, body) {
	return {
		'webhook-id': webhookId,
		'webhook-timestamp': String(timestampSeconds),
		'webhook-signature': signWebhook(secret, webhookId, timestampSeconds, body),
	};
}

module.exports = { signWebhook, webhookHeaders };
