/** A loopback HTTP server answering from a script of responses, recording what it received. */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ScriptedResponse {
	status?: number;
	body?: unknown;
	headers?: Record<string, string>;
	/** Destroy the socket instead of answering (connection reset). */
	reset?: boolean;
	/** Answer after this many ms (to provoke client timeouts). */
	delayMs?: number;
}

export interface Received {
	method: string;
	url: string;
	headers: IncomingMessage['headers'];
	body: string;
}

export class ScriptedServer {
	readonly received: Received[] = [];
	private server!: Server;
	url = '';
	constructor(private readonly handler: (req: Received, n: number) => ScriptedResponse) {}

	async start(): Promise<this> {
		this.server = createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (c: Buffer) => chunks.push(c));
			req.on('end', () => {
				const rec: Received = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
				this.received.push(rec);
				const r = this.handler(rec, this.received.length);
				const answer = () => {
					if (r.reset) {
						req.socket.destroy();
						return;
					}
					res.writeHead(r.status ?? 200, { 'content-type': 'application/json', ...(r.headers ?? {}) });
					res.end(typeof r.body === 'string' ? r.body : JSON.stringify(r.body ?? {}));
				};
				if (r.delayMs) setTimeout(answer, r.delayMs).unref();
				else answer();
			});
		});
		await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
		this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
		return this;
	}

	async stop(): Promise<void> {
		this.server.closeAllConnections?.();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}
}

export const ok = (data: unknown) => ({ status: 200, body: { code: 0, message: 'SUCCEED', request_id: 'req-ok', data } });
export const klingError = (status: number, code: number, message: string, headers?: Record<string, string>) => ({
	status,
	body: { code, message, request_id: `req-${code}` },
	headers,
});
