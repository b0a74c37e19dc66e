// test-hostile.mjs — a document full of markup (tests/browser/data) shown on
// every page: its strings must appear as text, never become elements, and
// never run.  The corpus is left out, so that this document is the only one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { drawn, searched, texts, useBrowser } from './harness.mjs';

const data = path.join(path.dirname(fileURLToPath(import.meta.url)), 'data');
const ctx = useBrowser({ documents: [data] });

// Neither an element the document's markup could have made, nor a script of
// it that ran.
async function assertInert(page) {
	assert.equal(await page.locator('main img, main script, main iframe, main svg, main b, main u').count(), 0);
	assert.equal(await page.locator('main a[href^="javascript"]').count(), 0);
	assert.equal(await page.evaluate(() => window.ksPwned), undefined);
}

const TITLE = `<img src=x onerror="window.ksPwned='titel'">Markup i titlen`;

test('the search page shows a document\'s markup as text', async () => {
	const { page } = ctx;
	await page.goto('/?q=zebrakode');
	await searched(page);
	assert.deepEqual(await texts(page, '#results > li h3'), [TITLE]);
	const result = page.locator('#results > li').first();
	assert.match(await result.locator('.meta').textContent(), /Møde i <img src=x onerror="window\.ksPwned='udvalg'">/);
	assert.equal(await result.locator('.decision').textContent(), "Beslutning: <script>window.ksPwned='beslutning'</script>Anbefales.");
	// The snippet's own <mark> is the one element in it.
	assert.equal(await result.locator('.snippet mark').textContent(), 'zebrakode');
	assert.match(await result.locator('.snippet').textContent(), /<a href="javascript:window\.ksPwned='link'">linket<\/a>/);
	// The facets show the committee as text too.
	assert.ok((await texts(page, '#facets .value')).includes(`<img src=x onerror="window.ksPwned='udvalg'">`));
	await assertInert(page);
});

test('the item page shows a document\'s markup as text', async () => {
	const { page } = ctx;
	await page.goto('/item/hostile-2025-12-01-1');
	await drawn(page);
	assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), TITLE);
	assert.equal(await page.title(), `${TITLE} – Kommunesøg`);
	const facts = await page.locator('#facts').textContent();
	assert.ok(facts.includes("<script>window.ksPwned='sted'</script>"), facts);
	assert.ok(facts.includes('<b>Fed</b> Deltager, "Citat" & Co'), facts);
	assert.equal(await page.locator('.section-oekonomi p').textContent(), 'Ingen & "ingen" <u>konsekvenser</u>.');
	assert.deepEqual(await texts(page, '.section-bilag li'), [`<svg onload="window.ksPwned='bilag'">Bilag med markup</svg>`]);
	await assertInert(page);
});

test('the case page shows a document\'s markup as text', async () => {
	const { page } = ctx;
	await page.goto('/sag/25-777777');
	await drawn(page);
	assert.deepEqual(await texts(page, '#timeline h2'), [TITLE]);
	assert.match(await page.locator('#timeline .excerpt').textContent(), /<iframe src=/);
	await assertInert(page);
});
