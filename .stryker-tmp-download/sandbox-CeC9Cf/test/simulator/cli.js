#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * Run the Kling simulator as a process: `npm run simulator -- --port 8787 --fast`.
 * Prints "Kling simulator listening on <url>" once ready; stops on SIGINT/SIGTERM.
 */
const { parseArgs } = require('node:util');
const { startSimulator } = require('./index');

const USAGE = `Usage: node test/simulator/cli.js [options]
  --port <n>             port on 127.0.0.1 (default 0 = a free port)
  --webhook-secret <s>   sign callbacks with this whsec_… secret (Standard Webhooks headers)
  --fast                 test timings: processing after 50 ms, finished after 150 ms
                         (default: processing after 2 s, finished after 6 s)
  --access-key <s>       default ak_test
  --secret-key <s>       default sk_test
  --api-key <s>          accepted static API key (repeatable; default kling_api_key_test)
  --failure-rate <0..1>  share of tasks that fail (default 0); "sim:fail" in a prompt always fails
  --seed <n>             seed for the random fault knobs (default 1)
  --no-auto-advance      tasks stay "submitted" until POST /__sim/tasks/<id>/advance
  --help`;

async function main() {
	const { values } = parseArgs({
		options: {
			port: { type: 'string' },
			'webhook-secret': { type: 'string' },
			fast: { type: 'boolean' },
			'access-key': { type: 'string' },
			'secret-key': { type: 'string' },
			'api-key': { type: 'string', multiple: true },
			'failure-rate': { type: 'string' },
			seed: { type: 'string' },
			'no-auto-advance': { type: 'boolean' },
			help: { type: 'boolean' },
		},
		strict: true,
	});
	if (values.help) {
		process.stdout.write(`${USAGE}\n`);
		return;
	}
	const port = values.port === undefined ? 0 : Number(values.port);
	if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port: not a port number: ${values.port}`);
	const sim = await startSimulator({
		port,
		webhookSecret: values['webhook-secret'],
		timings: values.fast ? { toProcessingMs: 50, toFinishMs: 150 } : { toProcessingMs: 2000, toFinishMs: 6000 },
		accessKey: values['access-key'],
		secretKey: values['secret-key'],
		apiKeys: values['api-key'],
		failureRate: values['failure-rate'] === undefined ? undefined : Number(values['failure-rate']),
		seed: values.seed === undefined ? undefined : Number(values.seed),
		autoAdvance: !values['no-auto-advance'],
	});
	process.stdout.write(`Kling simulator listening on ${sim.url}\n`);
	process.stdout.write(
		`  credential: region "custom", base URL ${sim.url}, access key ${sim.options.accessKey} (or one of ${sim.options.apiKeys.length} API key(s))\n` +
			`  control: GET ${sim.url}/__sim/state, POST /__sim/options, /__sim/tasks/<id>/advance, /__sim/reset\n`,
	);
	const stop = () => {
		sim.close().then(() => process.exit(0), () => process.exit(1));
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((error) => {
	process.stderr.write(`kling simulator: ${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
	process.exit(2);
});
