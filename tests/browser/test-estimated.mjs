// test-estimated.mjs — a search whose facet counts and total are estimates
// ("facets_estimated": true, issue 18) says so: "ca." before the total in the
// status line and before every facet count, in the text a screen reader
// reads as well as in what is seen; an exact search says nothing of the kind.
// The server counts exactly up to 5 matches (--facets-exact), so that the
// corpus's searches pass the bound; the page meets WCAG 2.1 AA at 320 and
// 1280 px.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, axeViolations, searched, useBrowser } from './harness.mjs';

const ctx = useBrowser({ serverArgs: ['--facets-exact', '5'] });

const WIDE = { width: 1280, height: 900 };
const PHONE = { width: 320, height: 640 };

// The facet links: their visible text and their accessible names.
async function facetLinks(page) {
	const links = page.locator('#facets li a');
	const out = [];
	for (let i = 0; i < await links.count(); i++) {
		const link = links.nth(i);
		out.push({ text: (await link.locator('.n').textContent()).trim(),
			name: await link.getAttribute('aria-label') });
	}
	return out;
}

test('an estimated search shows "ca." before its total and every facet count', async () => {
	const { page } = ctx;
	const body = await api(ctx, '/api/search?q=til');
	assert.equal(body.facets_estimated, true, 'the test needs a search past the bound');
	await page.goto('/?q=til');
	await searched(page);
	const total = body.total.toLocaleString('da-DK');
	assert.match(await page.locator('#status').textContent(), new RegExp(`^ca\\. ${total.replace('.', '\\.')} resultater for »til«[.,]`));
	const links = await facetLinks(page);
	assert.ok(links.length > 0);
	for (const { text, name } of links) {
		assert.match(text, /^ca\. \d/, text);
		assert.match(name, /, ca\. \d[\d.]* resultat(er)?($|,|:)/, name);
	}
});

test('an exact search shows no "ca."', async () => {
	const { page } = ctx;
	const body = await api(ctx, '/api/search?q=hjemløse');
	assert.equal(body.facets_estimated, false);
	await page.goto('/?q=hjemløse');
	await searched(page);
	assert.match(await page.locator('#status').textContent(), new RegExp(`^${body.total} resultater for »hjemløse«[.,]`));
	for (const { text, name } of await facetLinks(page)) {
		assert.match(text, /^\d/, text);
		assert.doesNotMatch(name, /ca\./, name);
	}
});

test('an estimated search meets WCAG 2.1 AA on a phone and a wide screen', async () => {
	const { page } = ctx;
	for (const viewport of [PHONE, WIDE]) {
		await page.setViewportSize(viewport);
		await page.goto('/?q=til');
		await searched(page);
		assert.match(await page.locator('#status').textContent(), /^ca\. /);
		assert.deepEqual(await axeViolations(page), [], `${viewport.width}px`);
	}
});
