/**
 * Parent-death watchdog: `node watchdog.js <parentPid> <pgid>...` polls every second; once the parent (the jest or
 * demo process that started n8n) is gone — even after a SIGKILL, where no exit handler runs — it kills the given
 * process groups (n8n and its task runner) and exits. The harness kills the watchdog itself on a normal stop.
 */
'use strict';

const [parentPid, ...groups] = process.argv.slice(2).map(Number);

function alive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (err) {
		return err.code === 'EPERM';
	}
}

function killGroups(signal) {
	for (const g of groups) {
		try {
			process.kill(-g, signal);
		} catch {
			// group already gone
		}
	}
}

const timer = setInterval(() => {
	if (!groups.some((g) => alive(g))) process.exit(0);
	if (alive(parentPid)) return;
	clearInterval(timer);
	killGroups('SIGTERM');
	setTimeout(() => {
		killGroups('SIGKILL');
		process.exit(0);
	}, 5000);
}, 1000);
