/**
 * Reads n8n's sqlite database with n8n's OWN bundled sqlite3 (built for the n8n runtime, so run this script with the
 * Node that runs n8n): `node sqlite-query.js <n8nDir> <databaseFile> <sql> [flattedColumn]`. Prints the rows as JSON.
 * With `flattedColumn`, that column (n8n stores execution data in the `flatted` format) is decoded with n8n's `flatted`.
 * Opened read-only; n8n keeps writing meanwhile (sqlite handles the concurrent reader).
 */
'use strict';

const [n8nDir, dbFile, sql, flattedColumn] = process.argv.slice(2);
const load = (name) => require(require.resolve(name, { paths: [n8nDir, `${n8nDir}/node_modules/n8n`] }));
const sqlite3 = load('sqlite3');

const db = new sqlite3.Database(dbFile, sqlite3.OPEN_READONLY, (openErr) => {
	if (openErr) fail(openErr);
	db.configure('busyTimeout', 5000);
	db.all(sql, (err, rows) => {
		if (err) fail(err);
		if (flattedColumn) {
			const { parse } = load('flatted');
			for (const row of rows) {
				if (typeof row[flattedColumn] === 'string') row[flattedColumn] = parse(row[flattedColumn]);
			}
		}
		process.stdout.write(JSON.stringify(rows));
		db.close();
	});
});

function fail(err) {
	process.stderr.write(`sqlite-query: ${err.message}\n`);
	process.exit(1);
}
