// test-a11y.mjs — WCAG 2.1 AA on every screen, checked in a real browser:
// axe-core's A and AA rules (contrast, labels, names, landmarks, lists,
// ARIA), on a wide screen and on a phone; the language, the landmarks and
// the live region a screen reader relies on; reflow without sideways
// scrolling at 320 CSS pixels (WCAG 1.4.10); the accessibility statement.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, axeViolations, drawn, searched, useBrowser } from './harness.mjs';

const ctx = useBrowser();

const WIDE = { width: 1280, height: 900 };
const PHONE = { width: 320, height: 640 };


// Opens PATH at both sizes and checks what every screen must hold.
async function checkScreen(path, { ready = drawn, status = 200 } = {}) {
	const { page } = ctx;
	for (const viewport of [PHONE, WIDE]) {
		await page.setViewportSize(viewport);
		const response = await page.goto(path);
		assert.equal(response.status(), status, path);
		await ready(page);
		assert.deepEqual(await axeViolations(page), [], `${path} at ${viewport.width}px`);
		assert.equal(await page.getAttribute('html', 'lang'), 'da');
		for (const role of ['banner', 'main', 'contentinfo'])
			assert.equal(await page.getByRole(role).count(), 1, `${path}: one ${role} landmark`);
		const sideways = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
		assert.ok(sideways <= 0, `${path} at ${viewport.width}px scrolls sideways by ${sideways}px`);
	}
	// The 4xx pages are reported by the browser as console errors.
	if (status !== 200)
		ctx.problems = ctx.problems.filter((p) => !/status of 4\d\d/.test(p));
}

test('the search page with results meets WCAG 2.1 AA', async () => {
	await checkScreen('/?q=budget', { ready: searched });
	const { page } = ctx;
	// The search is a labelled landmark; every control has a visible label.
	assert.equal(await ctx.page.getByRole('search').count(), 1);
	for (const label of ['Søgeord', 'Sortering', 'Fra', 'Til', 'Skjul lukkede punkter'])
		assert.ok(await page.getByLabel(label, { exact: true }).isVisible(), label);
	// The count of results is a polite live region that says it all at once.
	const status = page.locator('#status');
	assert.equal(await status.getAttribute('aria-live'), 'polite');
	assert.equal(await status.getAttribute('aria-atomic'), 'true');
	assert.equal(await page.getByRole('navigation', { name: 'Sider' }).count(), 1);
	assert.equal(await page.getByRole('complementary', { name: 'Afgræns søgningen' }).count(), 1);
	// Headings in order, one h1.
	const levels = await page.locator('h1, h2, h3').evaluateAll((all) => all.map((h) => Number(h.tagName[1])));
	assert.equal(levels.filter((l) => l === 1).length, 1);
	levels.forEach((level, i) => assert.ok(i === 0 || level <= levels[i - 1] + 1, `heading levels ${levels}`));
});

test('the search page sorted by net budget, and past its last page, meets WCAG 2.1 AA', async () => {
	await checkScreen('/?q=&sort=nettobudget_desc', { ready: searched });
	assert.ok(await ctx.page.locator('#results .nettobudget').count() > 0);
	await checkScreen('/?q=budget&page=5', { ready: searched });
	assert.equal(await ctx.page.getByRole('link', { name: 'Gå til side 1, den sidste' }).count(), 1);
});

test('the search page when nothing is found, and with a suggestion, meets WCAG 2.1 AA', async () => {
	await checkScreen('/?q=zebraflodhest', { ready: searched });
	await checkScreen('/?q=budgetopf%C3%B8lgnig&udvalg=Direktionen&sort=date_asc', { ready: searched });
	assert.equal(await ctx.page.locator('#suggestion a').count(), 1);
});

test('the search page with the help open and browsing page 2 meets WCAG 2.1 AA', async () => {
	await checkScreen('/?page=2', { ready: searched });
	await ctx.page.locator('details.help summary').click();
	assert.deepEqual(await axeViolations(ctx.page), []);
});

test('the case page meets WCAG 2.1 AA', async () => {
	await checkScreen('/sag/25-008999');
	await checkScreen('/sag/21-046835K');
	assert.equal(await ctx.page.getByRole('navigation', { name: 'Brødkrumme' }).count(), 1);
});

test('the item pages — an agenda item, a budget section, a closed item — meet WCAG 2.1 AA', async () => {
	await checkScreen('/item/direktionen-2025-10-06-1'); /* with a table */
	await checkScreen('/item/budget-2024-oekonomiudvalget-5'); /* nested lists */
	const closed = (await api(ctx, '/api/search?lukket=true&per_page=1')).results[0];
	await checkScreen(closed.url);
});

test("the item page with the search's words marked, and the meeting page, meet WCAG 2.1 AA", async () => {
	await checkScreen('/item/direktionen-2025-11-17-6?q=hjeml%C3%B8shed');
	assert.ok(await ctx.page.locator('#sections mark').count() > 3);
	await ctx.page.getByRole('link', { name: 'Gå til første fund' }).click();
	assert.deepEqual(await axeViolations(ctx.page), []);
	await checkScreen('/moede/direktionen/2025-11-17');
	await checkScreen('/moede/direktionen/2025-08-18');
});

test('the error pages meet WCAG 2.1 AA', async () => {
	await checkScreen('/sag/25-000000', { status: 404 });
	await checkScreen('/sag/ugyldig', { status: 400 });
	await checkScreen('/item/findes-ikke', { status: 404 });
	await checkScreen('/moede/direktionen/2025-11-18', { status: 404 });
	// Any unknown address, and an error of the feed opened in the browser.
	await checkScreen('/foo', { status: 404 });
	await checkScreen('/feed?q=budget&from=2025-13-01', { status: 400 });
});

test('the accessibility statement is linked from every page and meets WCAG 2.1 AA', async () => {
	const { page } = ctx;
	for (const path of ['/', '/sag/25-008999', '/item/direktionen-2025-08-18-5']) {
		await page.goto(path);
		assert.equal(await page.getByRole('contentinfo').getByRole('link', { name: 'Tilgængelighedserklæring' })
			.getAttribute('href'), '/tilgaengelighed.html');
	}
	await page.getByRole('contentinfo').getByRole('link', { name: 'Tilgængelighedserklæring' }).click();
	await page.waitForURL('**/tilgaengelighed.html');
	assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Tilgængelighedserklæring');
	assert.match(await page.locator('main').textContent(), /WCAG 2\.1/);
	await checkScreen('/tilgaengelighed.html');
});

test('text can be zoomed to 200 % without loss', async () => {
	const { page } = ctx;
	await page.setViewportSize({ width: 640, height: 800 });
	await page.goto('/?q=budget');
	await searched(page);
	await page.evaluate(() => { document.documentElement.style.fontSize = '200%'; });
	const sideways = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
	assert.ok(sideways <= 0, `scrolls sideways by ${sideways}px at 200 % text`);
	assert.ok(await page.getByLabel('Søgeord').isVisible());
});
