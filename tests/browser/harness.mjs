// harness.mjs — what every browser test file shares: the real indexer builds
// an index of the real corpus, the real kommunesoeg-server serves it on a
// free loopback port, and Debian's chromium (driven by playwright-core) opens
// the pages.  Every page is watched: a console error, an uncaught exception
// or a request the Content-Security-Policy refused fails the test.  Each test
// saves a screenshot.
//
// Environment (set by tests/meson.build):
//   KS_INDEX, KS_SERVER   the programs under test
//   KS_CORPUS, KS_WEB     the documents and the front end's files
//   KS_SCREENSHOTS        where the screenshots go (created)
//   KS_CHROMIUM           the browser (default /usr/bin/chromium)
import { after, before, afterEach, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);

function env(name) {
	const value = process.env[name];
	if (!value)
		throw new Error(`${name} is not set: run the browser tests through meson test`);
	return value;
}

const SANITIZER = /ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:/;

// The server over an index of DOCUMENTS, on a free loopback port, with the
// server's further ARGS.
class Server {
	static async start(documents, args = []) {
		const dir = mkdtempSync(path.join(tmpdir(), 'ks-browser-'));
		const db = path.join(dir, 'index');
		const index = spawnSync(env('KS_INDEX'), ['--quiet', '--db', db, ...documents],
			{ encoding: 'utf8' });
		if (index.status !== 0)
			throw new Error(`kommunesoeg-index exited ${index.status}: ${index.stderr}`);
		const server = new Server(dir, spawn(env('KS_SERVER'),
			['--db', db, '--web', env('KS_WEB'), '--bind', '127.0.0.1', '--port', '0', '--threads', '2',
				// Tests do not time searches: a busy machine or a sanitizer must
				// not make one run past the default time limit.
				'--search-timeout', '600000', ...args],
			{ stdio: ['ignore', 'ignore', 'pipe'] }));
		await server.listening();
		return server;
	}

	constructor(dir, child) {
		this.dir = dir;
		this.child = child;
		this.log = '';
		this.exit = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
		child.stderr.setEncoding('utf8');
		child.stderr.on('data', (chunk) => { this.log += chunk; });
	}

	listening() {
		return new Promise((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error(`no "listening on" line: ${this.log}`)), 30000);
			const look = () => {
				const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(this.log);
				if (m) {
					clearTimeout(timer);
					this.child.stderr.off('data', look);
					this.url = `http://127.0.0.1:${m[1]}`;
					resolve();
				}
			};
			this.child.stderr.on('data', look);
			this.exit.then(({ code }) => reject(new Error(`kommunesoeg-server exited ${code}: ${this.log}`)));
		});
	}

	// SIGTERM: the server must exit 0, with nothing from the sanitizers.
	async stop() {
		this.child.kill('SIGTERM');
		let timer;
		const timeout = new Promise((resolve) => { timer = setTimeout(() => resolve(null), 30000); });
		const result = await Promise.race([this.exit, timeout]);
		clearTimeout(timer);
		if (!result)
			this.child.kill('SIGKILL');
		rmSync(this.dir, { recursive: true, force: true });
		assert.ok(result, 'kommunesoeg-server did not stop within 30 s of SIGTERM');
		assert.equal(result.code, 0, `kommunesoeg-server exited ${result.code} (${result.signal}): ${this.log.slice(-3000)}`);
		assert.doesNotMatch(this.log, SANITIZER, this.log.slice(-3000));
	}
}

// The flags Chromium needs here: root needs --no-sandbox; the machine has
// no network, and Chromium's background connections would only fail.
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
	'--disable-background-networking', '--disable-component-update', '--disable-sync',
	'--disable-dev-shm-usage', '--lang=da-DK'];

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

// Sets up the server (over the corpus, or DOCUMENTS) and the browser for the
// test file that calls it, a new page for each test, and its screenshot after
// it.  Returns the context object the tests read: ctx.server.url, ctx.page,
// ctx.problems.
export function useBrowser({ viewport = { width: 1280, height: 900 }, documents = null, serverArgs = [] } = {}) {
	const ctx = { problems: [] };
	const shots = env('KS_SCREENSHOTS');
	mkdirSync(shots, { recursive: true });

	before(async () => {
		ctx.server = await Server.start(documents || [env('KS_CORPUS')], serverArgs);
		ctx.browser = await chromium.launch({
			executablePath: process.env.KS_CHROMIUM || '/usr/bin/chromium',
			args: CHROMIUM_ARGS,
			timeout: 60000,
		});
	});

	after(async () => {
		if (ctx.browser)
			await ctx.browser.close();
		if (ctx.server)
			await ctx.server.stop();
	});

	beforeEach(async () => {
		ctx.problems = [];
		ctx.context = await ctx.browser.newContext({ viewport, locale: 'da-DK', baseURL: ctx.server.url });
		ctx.context.setDefaultTimeout(15000);
		ctx.page = await ctx.context.newPage();
		watch(ctx, ctx.page);
	});

	afterEach(async (t) => {
		const name = t.name.replace(/[^a-z0-9æøå]+/gi, '-').replace(/^-|-$/g, '').toLowerCase();
		await ctx.page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
		await ctx.context.close();
		// Checked after the screenshot, so that a failing page is seen.
		assert.deepEqual(ctx.problems, [], 'the page reported problems');
	});

	return ctx;
}

// Collects what a page reports that is wrong: console errors (among them
// every request the CSP refused), uncaught exceptions, failed requests.
// Tests that provoke an error status on purpose clear ctx.problems.
function watch(ctx, page) {
	page.on('console', (message) => {
		if (message.type() === 'error' || /Content.Security.Policy|Refused to/i.test(message.text()))
			ctx.problems.push(`console ${message.type()}: ${message.text()}`);
	});
	page.on('pageerror', (error) => ctx.problems.push(`exception: ${error.message}`));
	// A request the browser itself abandoned because the test navigated on
	// (net::ERR_ABORTED, the favicon of a page just left) is no failure.
	page.on('requestfailed', (request) => {
		const error = request.failure()?.errorText;
		if (error !== 'net::ERR_ABORTED')
			ctx.problems.push(`request failed: ${request.url()} ${error}`);
	});
}

// The WCAG 2.1 A and AA rules of axe-core on the page as it is now: the
// list of violations, each "rule: target…", empty when there is none.
export async function axeViolations(page) {
	// evaluate() runs through the DevTools protocol, which the page's CSP
	// does not govern, so the page keeps its real policy.
	await page.evaluate(AXE_SOURCE);
	const result = await page.evaluate(() => window.axe.run(document, {
		runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
		resultTypes: ['violations'],
	}));
	return result.violations.map((v) =>
		`${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

// Waits until the search page has drawn the answer to the search in its
// address (the results' region is no longer busy, the status says something).
export async function searched(page) {
	await page.waitForFunction(() => {
		const results = document.getElementById('results');
		const status = document.getElementById('status');
		const error = document.getElementById('error');
		return results && !results.hasAttribute('aria-busy') &&
			((status && status.textContent.trim()) || (error && error.textContent.trim()));
	});
}

// Types Q into the labelled search box, submits it with Enter (a phone's
// "Søg" key) and waits until the page has drawn its answer.
export async function submitSearch(page, q) {
	const box = page.getByLabel('Søgeord');
	await box.fill(q);
	await box.press('Enter');
	await page.waitForURL((url) => url.searchParams.get('q') === q);
	await searched(page);
}

// Waits until a case or item page has drawn what the API answered (its
// status no longer says "Henter …"); a page without a status is drawn.
export async function drawn(page) {
	await page.waitForFunction(() => {
		const status = document.getElementById('status');
		return !status || !/^Henter/.test(status.textContent);
	});
}

// The texts of the elements that match SELECTOR.
export function texts(page, selector) {
	return page.locator(selector).allTextContents().then((all) => all.map((s) => s.trim()));
}

// A GET outside the page, as a feed reader or a script makes it, on a
// connection of its own (Connection: close).  Playwright keeps its
// requests' connections open, and the server closes one left idle for
// KS_CONNECTION_TIMEOUT seconds: a request sent on it just then gets no
// answer ("socket hang up"), which a browser would have sent again.
export function fetched(ctx, path) {
	return ctx.context.request.get(path, { headers: { Connection: 'close' } });
}

// The JSON of an API path, fetched outside the page (for expected values).
export async function api(ctx, apiPath) {
	const response = await fetched(ctx, apiPath);
	assert.equal(response.status(), 200, `${apiPath}: ${response.status()}`);
	return response.json();
}
