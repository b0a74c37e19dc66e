// test-suggest.mjs — search as you type: the search box is a combobox
// (WAI-ARIA Authoring Practices, list autocomplete) whose list holds the
// completions of /api/suggest; ArrowDown/ArrowUp move, Enter searches the
// one chosen, Escape closes, a click searches it; an empty box asks
// nothing.  And several values of one facet chosen at once, each a link that adds
// its value to those chosen or takes it out.  Both meet
// WCAG 2.1 AA on a phone and a wide screen with the list open.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, axeViolations, searched, texts, useBrowser } from './harness.mjs';

const ctx = useBrowser();

const WIDE = { width: 1280, height: 900 };
const PHONE = { width: 320, height: 640 };

// Types Q into the box key by key, as a person does, and waits for the
// suggestions of Q.
async function typeAndWait(page, q) {
	const box = page.getByRole('combobox', { name: 'Søgeord' });
	await box.click();
	await box.pressSequentially(q, { delay: 20 });
	await page.waitForFunction(() => {
		const list = document.getElementById('q-suggestions');
		return list && !list.hidden && list.dataset.q === document.getElementById('q').value;
	});
	return box;
}

test('the box is a combobox whose list opens with the completions', async () => {
	const { page } = ctx;
	await page.goto('/');
	await searched(page);
	const box = page.getByRole('combobox', { name: 'Søgeord' });
	assert.equal(await box.getAttribute('autocomplete'), null, 'autocomplete="off" is gone');
	assert.equal(await box.getAttribute('aria-autocomplete'), 'list');
	assert.equal(await box.getAttribute('aria-expanded'), 'false');
	const listId = await box.getAttribute('aria-controls');
	assert.equal(listId, 'q-suggestions');
	await typeAndWait(page, 'Hjem');
	assert.equal(await box.getAttribute('aria-expanded'), 'true');
	const want = (await api(ctx, '/api/suggest?q=Hjem')).suggestions;
	assert.ok(want.length >= 3, want);
	const list = page.getByRole('listbox');
	assert.deepEqual(await list.getByRole('option').allTextContents(), want);
	assert.equal(await box.getAttribute('aria-activedescendant'), null);
	// Escape closes the list and keeps what was typed.
	await page.keyboard.press('Escape');
	assert.equal(await box.getAttribute('aria-expanded'), 'false');
	assert.equal(await list.isVisible(), false);
	assert.equal(await box.inputValue(), 'Hjem');
});

test('ArrowDown and Enter search the suggestion chosen', async () => {
	const { page } = ctx;
	await page.goto('/');
	await searched(page);
	const box = await typeAndWait(page, 'budget hjem');
	const options = page.getByRole('option');
	const want = await options.allTextContents();
	await page.keyboard.press('ArrowDown');
	await page.keyboard.press('ArrowDown');
	await page.keyboard.press('ArrowUp');
	await page.keyboard.press('ArrowDown');
	const active = await box.getAttribute('aria-activedescendant');
	assert.equal(active, await options.nth(1).getAttribute('id'));
	assert.equal(await options.nth(1).getAttribute('aria-selected'), 'true');
	assert.equal(await options.nth(0).getAttribute('aria-selected'), 'false');
	assert.equal(await box.evaluate((b) => b === document.activeElement), true, 'focus stays in the box');
	await page.keyboard.press('Enter');
	await page.waitForURL((url) => url.searchParams.get('q') === want[1]);
	await searched(page);
	assert.equal(await box.inputValue(), want[1]);
	assert.equal(await box.getAttribute('aria-expanded'), 'false');
	assert.match(await page.locator('#status').textContent(), new RegExp(`»${want[1]}«`));
});

test('a click on a suggestion searches it; Enter without one searches what was typed', async () => {
	const { page } = ctx;
	await page.goto('/');
	await searched(page);
	await typeAndWait(page, 'økonomi');
	const option = page.getByRole('option').first();
	const text = await option.textContent();
	await option.click();
	await page.waitForURL((url) => url.searchParams.get('q') === text);
	await searched(page);
	assert.equal(await page.getByRole('listbox').isVisible(), false);
	const box = await typeAndWait(page, ' budg');
	await box.press('Enter');
	await page.waitForURL((url) => url.searchParams.get('q') === `${text} budg`);
	await searched(page);
	assert.equal(await box.getAttribute('aria-expanded'), 'false');
});

test('an empty box asks for nothing, and the suggestions are asked for a pause in typing', async () => {
	const { page } = ctx;
	await page.goto('/');
	await searched(page);
	const asked = [];
	page.on('request', (r) => {
		if (new URL(r.url()).pathname === '/api/suggest')
			asked.push(new URL(r.url()).searchParams.get('q'));
	});
	await typeAndWait(page, 'budgetopf');
	assert.ok(asked.length >= 1 && asked.length < 'budgetopf'.length, `asked ${asked}`);
	assert.equal(asked[asked.length - 1], 'budgetopf');
	const box = page.getByRole('combobox', { name: 'Søgeord' });
	await box.fill('');
	await page.waitForTimeout(600);
	assert.ok(!asked.includes(''), `asked ${asked}`);
	assert.equal(await box.getAttribute('aria-expanded'), 'false');
});

test('the open list meets WCAG 2.1 AA on a phone and a wide screen', async () => {
	const { page } = ctx;
	for (const viewport of [PHONE, WIDE]) {
		await page.setViewportSize(viewport);
		await page.goto('/?q=budget');
		await searched(page);
		const box = page.getByRole('combobox', { name: 'Søgeord' });
		await box.fill('');
		await typeAndWait(page, 'hjem');
		await page.keyboard.press('ArrowDown');
		assert.deepEqual(await axeViolations(page), [], `${viewport.width}px`);
		const sideways = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
		assert.ok(sideways <= 0, `${viewport.width}px: scrolls sideways by ${sideways}px`);
	}
});

function facetOf(page, title) {
	return page.locator('#facets section', { has: page.getByRole('heading', { name: title, exact: true }) });
}

test('two values of one facet chosen give either, and the facet still lists the others', async () => {
	const { page } = ctx;
	await page.setViewportSize(WIDE);
	await page.goto('/?q=budget');
	await searched(page);
	const all = await api(ctx, '/api/search?q=budget');
	const years = Object.keys(all.facets.year).sort().reverse();
	assert.ok(years.length >= 2, years);
	const facet = facetOf(page, 'År');
	await facet.getByRole('link', { name: new RegExp(`^${years[0]},`) }).click();
	await page.waitForURL((url) => url.searchParams.getAll('year').length === 1);
	await searched(page);
	// The facet of the value chosen lists its other values still, with
	// their counts, to add one more.
	assert.deepEqual(await texts(page, '#facets section:has(h3:text-is("År")) .value'), years);
	// The other value says it is added.
	const second = facetOf(page, 'År').getByRole('link', { name: new RegExp(`^${years[1]},`) });
	assert.match(await second.getAttribute('aria-label'), /: tilføj$/);
	await second.click();
	await page.waitForURL((url) => url.searchParams.getAll('year').length === 2);
	await searched(page);
	const both = await api(ctx, `/api/search?q=budget&year=${years[0]}&year=${years[1]}`);
	assert.equal(both.total, all.facets.year[years[0]] + all.facets.year[years[1]]);
	assert.match(await page.locator('#status').textContent(), new RegExp(`^${both.total} resultat`));
	const ticked = facetOf(page, 'År').locator('a[aria-current="true"] .value');
	assert.deepEqual(await ticked.allTextContents(), years.slice(0, 2));
	// Two chips, each removing its value alone.
	const chips = await texts(page, '#active .chips a');
	assert.equal(chips.filter((c) => c.startsWith('År:')).length, 2, chips);
	assert.deepEqual(await axeViolations(page), []);
	// Unticking one leaves the other.
	await facetOf(page, 'År').getByRole('link', { name: new RegExp(`^${years[0]},.*valgt`) }).click();
	await page.waitForURL((url) => url.searchParams.getAll('year').length === 1);
	await searched(page);
	assert.equal(new URL(page.url()).searchParams.get('year'), years[1]);
	// The exports carry every value.
	await page.goto('/?q=budget');
	await searched(page);
	assert.ok(Object.keys(all.facets.udvalg).length >= 2, all.facets.udvalg);
	await facetOf(page, 'Udvalg').getByRole('link').nth(0).click();
	await page.waitForURL((url) => url.searchParams.has('udvalg'));
	await searched(page);
	await facetOf(page, 'Udvalg').getByRole('link').nth(1).click();
	await page.waitForURL((url) => url.searchParams.getAll('udvalg').length === 2);
	await searched(page);
	const csv = new URL(await page.locator('#exports a', { hasText: 'CSV' }).getAttribute('href'), page.url());
	assert.equal(csv.searchParams.getAll('udvalg').length, 2);
	await page.setViewportSize(PHONE);
	if (!(await page.locator('#filters-details').evaluate((d) => d.open)))
		await page.locator('#filters-details summary').click();
	assert.deepEqual(await axeViolations(page), [], '320px');
});
