// test-facets.mjs — facets with more values than the search page lists at
// first: the top values, and "Vis flere (N)", a disclosure button (WAI-ARIA)
// that shows the rest and "Vis færre" that folds them again, by mouse and
// keyboard, meeting WCAG 2.1 AA folded and unfolded, on a phone and a wide
// screen.  corpus/ has too few values (8 decisions, 3 years), so the
// server's index is of minutes made up by bench/gencorpus.py: 30 meetings,
// with 12 committees, 16 years and 11 decisions.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { api, axeViolations, searched, texts, useBrowser } from './harness.mjs';

// What search.js lists before "Vis flere".
const TOP = 8;

const made = mkdtempSync(path.join(tmpdir(), 'ks-facets-'));
const gen = spawnSync('python3', [process.env.KS_GENCORPUS, '--meetings', '30', '--budget-every', '10',
	'--out', made], { encoding: 'utf8' });
if (gen.status !== 0)
	throw new Error(`gencorpus.py exited ${gen.status}: ${gen.stderr}`);
after(() => rmSync(made, { recursive: true, force: true }));

const ctx = useBrowser({ documents: [made] });

const WIDE = { width: 1280, height: 900 };
const PHONE = { width: 320, height: 640 };

function facetOf(page, title) {
	return page.locator('#facets section', { has: page.getByRole('heading', { name: title, exact: true }) });
}

// The values a facet shows, as the page lists them (label and count).
async function shown(facet) {
	return facet.locator('li:visible .value').allTextContents();
}

// The API's values of a facet in the page's order: most frequent first, the
// years newest first.
function ordered(body, name) {
	const values = Object.keys(body.facets[name]);
	return name === 'year' ? values.sort().reverse() : values;
}

test('a facet with more values than the top shows the top ones and "Vis flere" shows the rest', async () => {
	const { page } = ctx;
	await page.goto('/');
	await searched(page);
	const body = await api(ctx, '/api/search?q=');
	for (const [name, title] of [['udvalg', 'Udvalg'], ['year', 'År'], ['beslutning', 'Beslutning']]) {
		const all = ordered(body, name);
		assert.ok(all.length > TOP, `${name}: ${all.length} values, the test needs more than ${TOP}`);
		const facet = facetOf(page, title);
		assert.deepEqual(await shown(facet), all.slice(0, TOP), name);
		const button = facet.getByRole('button');
		assert.equal(await button.textContent(), `Vis flere (${all.length - TOP})`);
		assert.equal(await button.getAttribute('aria-expanded'), 'false');
		const list = await button.getAttribute('aria-controls');
		assert.equal(await facet.locator('ul').getAttribute('id'), list);
		await button.click();
		assert.equal(await button.getAttribute('aria-expanded'), 'true');
		assert.equal(await button.textContent(), 'Vis færre');
		assert.deepEqual(await shown(facet), all, name);
		await button.click();
		assert.equal(await button.getAttribute('aria-expanded'), 'false');
		assert.deepEqual(await shown(facet), all.slice(0, TOP), name);
	}
	// A facet of no more values than the top has no button.
	assert.equal(Object.keys(body.facets.type).length, 2);
	assert.equal(await facetOf(page, 'Dokumenttype').getByRole('button').count(), 0);
	assert.equal(await facetOf(page, 'Dokumenttype').locator('li:visible').count(), 2);
});

test('"Vis flere" works from the keyboard, and a value it showed can be chosen', async () => {
	const { page } = ctx;
	await page.goto('/');
	await searched(page);
	const body = await api(ctx, '/api/search?q=');
	const years = ordered(body, 'year');
	const facet = facetOf(page, 'År');
	const button = facet.getByRole('button');
	// Tab from the last value shown reaches the button; Enter unfolds.
	await facet.getByRole('link').nth(TOP - 1).focus();
	await page.keyboard.press('Tab');
	assert.equal(await button.evaluate((b) => b === document.activeElement), true);
	await page.keyboard.press('Enter');
	assert.equal(await button.getAttribute('aria-expanded'), 'true');
	assert.equal(await button.evaluate((b) => b === document.activeElement), true, 'focus stays on the button');
	// The values shown are next in the tab order, before the button.
	await page.keyboard.press('Shift+Tab');
	const oldest = years[years.length - 1];
	assert.match(await page.evaluate(() => document.activeElement.getAttribute('aria-label')), new RegExp(`^${oldest}, `));
	// Space folds again.
	await page.keyboard.press('Tab');
	await page.keyboard.press('Space');
	assert.equal(await button.getAttribute('aria-expanded'), 'false');
	assert.equal(await facet.getByRole('link', { name: new RegExp(`^${oldest}, `) }).isVisible(), false);
	// Unfolded again, the oldest year is chosen with Enter: the results are
	// that year's.
	await page.keyboard.press('Enter');
	await page.keyboard.press('Shift+Tab');
	await page.keyboard.press('Enter');
	await page.waitForURL((url) => url.searchParams.get('year') === oldest);
	await searched(page);
	assert.equal(await page.locator('#results > li').count(), Math.min(20, body.facets.year[oldest]));
	assert.equal(await facetOf(page, 'År').locator('a[aria-current="true"] .value').textContent(), oldest);
});

test('a chosen value is shown even beyond the top, and an unfolded facet stays unfolded', async () => {
	const { page } = ctx;
	// The server counts a facet within its own filter, so the chosen value
	// is its facet's one value; a facet counted without it (as the API
	// allows) would list the chosen value among the others.
	const everything = await api(ctx, '/api/search?q=');
	const search = (url) => url.pathname === '/api/search';
	await page.route(search, async (route) => {
		const response = await route.fetch();
		const json = await response.json();
		json.facets.beslutning = everything.facets.beslutning;
		await route.fulfill({ response, json });
	});
	const decisions = ordered(everything, 'beslutning');
	const last = decisions[decisions.length - 1];
	await page.goto(`/?beslutning=${encodeURIComponent(last)}`);
	await searched(page);
	const facet = facetOf(page, 'Beslutning');
	assert.deepEqual(await shown(facet), [...decisions.slice(0, TOP), last]);
	assert.equal(await facet.getByRole('button').textContent(), `Vis flere (${decisions.length - TOP - 1})`);
	assert.equal(await facet.locator('a[aria-current="true"] .value').textContent(), last);
	await page.unroute(search);

	// Unfolded, the committees stay unfolded when a decision is chosen.
	await page.goto('/');
	await searched(page);
	await facetOf(page, 'Udvalg').getByRole('button').click();
	await facetOf(page, 'Beslutning').getByRole('link').first().click();
	await page.waitForURL((url) => url.searchParams.has('beslutning'));
	await searched(page);
	const udvalg = facetOf(page, 'Udvalg');
	const narrowed = await api(ctx, `/api/search?q=&beslutning=${encodeURIComponent(decisions[0])}`);
	const committees = ordered(narrowed, 'udvalg');
	assert.deepEqual(await shown(udvalg), committees);
	if (committees.length > TOP)
		assert.equal(await udvalg.getByRole('button').getAttribute('aria-expanded'), 'true');
});

test('the facets folded and unfolded meet WCAG 2.1 AA on a phone and a wide screen', async () => {
	const { page } = ctx;
	for (const viewport of [PHONE, WIDE]) {
		await page.setViewportSize(viewport);
		await page.goto('/');
		await searched(page);
		// On a phone the filters are folded under their heading.
		if (!(await page.locator('#filters-details').evaluate((d) => d.open)))
			await page.locator('#filters-details summary').click();
		const buttons = page.locator('#facets button.more');
		assert.equal(await buttons.count(), 3);
		for (const state of ['folded', 'unfolded']) {
			if (state === 'unfolded') {
				for (let i = 0; i < 3; i++)
					await buttons.nth(i).click();
				assert.deepEqual(await texts(page, '#facets button.more'), ['Vis færre', 'Vis færre', 'Vis færre']);
			}
			assert.deepEqual(await axeViolations(page), [], `${viewport.width}px, ${state}`);
			const sideways = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
			assert.ok(sideways <= 0, `${viewport.width}px, ${state}: scrolls sideways by ${sideways}px`);
		}
	}
});
