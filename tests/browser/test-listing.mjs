// test-listing.mjs — the search page says what its list is: the status line
// names the sort used, the sort box shows it (also when the box is empty and
// the server sorts by date), a sort by net budget shows the amounts, a page
// past the last says so and leads back; the head's feed link follows the
// search; the exports are named after the search.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, fetched, searched, texts, useBrowser } from './harness.mjs';

const ctx = useBrowser();

test('the status line names the sort used, and the sort box shows it', async () => {
	const { page } = ctx;
	const sortBox = page.getByLabel('Sortering');
	const cases = [
		// [address, the sort box, the status line's words for the sort]
		['/', 'date_desc', 'nyeste først'], // an empty box: the newest first, not "best match"
		['/?q=&sort=relevance', 'date_desc', 'nyeste først'],
		['/?q=budget', 'relevance', 'bedste match først'],
		['/?q=budget&sort=date_asc', 'date_asc', 'ældste først'],
		['/?q=&sort=date_desc', 'date_desc', 'nyeste først'],
		['/?q=&sort=nettobudget_desc', 'nettobudget_desc', 'største nettobudget først'],
		['/?q=budget&sort=nettobudget_asc', 'nettobudget_asc', 'mindste nettobudget først'],
	];
	for (const [address, sort, words] of cases) {
		await page.goto(address);
		await searched(page);
		assert.equal(await sortBox.inputValue(), sort, address);
		const status = await page.locator('#status').textContent();
		assert.ok(status.includes(`, ${words}.`), `${address}: ${status}`);
	}
	// The newest first is what the server gave for the empty box.
	await page.goto('/');
	await searched(page);
	const newest = await api(ctx, '/api/search?q=&sort=date_desc');
	assert.deepEqual(await texts(page, '#results > li h3'), newest.results.map((r) => r.title));
});

test('"Største nettobudget først" shows the amounts it sorts by', async () => {
	const { page } = ctx;
	await page.goto('/');
	await searched(page);
	await page.getByLabel('Sortering').selectOption('nettobudget_desc');
	await page.waitForURL(/sort=nettobudget_desc/);
	await searched(page);
	const expected = await api(ctx, '/api/search?q=&sort=nettobudget_desc');
	assert.equal(expected.results[0].nettobudget, 104816500);
	const amounts = await texts(page, '#results > li .nettobudget');
	const budgets = expected.results.filter((r) => r.nettobudget !== null);
	assert.equal(amounts.length, budgets.length);
	assert.equal(amounts[0], 'Nettobudget: 104.816.500 kr.');
	assert.equal(amounts[1], 'Nettobudget: 81.205.800 kr.');
	const numbers = amounts.map((a) => Number(a.replace(/[^0-9-]/g, '')));
	assert.deepEqual(numbers, [...numbers].sort((a, b) => b - a), 'largest first');
	assert.match(await page.locator('#status').textContent(), /^65 punkter og budgetafsnit, største nettobudget først\. Side 1 af 4\.$/);
	// An agenda item has no net budget, and shows none.
	await page.goto('/?q=hjemløsestrategi');
	await searched(page);
	assert.equal(await page.locator('#results > li').first().locator('.nettobudget').count(), 0);
});

test('a page past the last says so and leads back to the last', async () => {
	const { page } = ctx;
	const total = (await api(ctx, '/api/search?q=budget')).total;
	assert.equal(total, 19);
	await page.goto('/?q=budget&page=5');
	await searched(page);
	assert.equal(await page.locator('#status').textContent(),
		'19 resultater for »budget«, bedste match først. Side 5 findes ikke: der er 1 side.');
	assert.equal(await page.locator('#results > li').count(), 0);
	const back = page.getByRole('link', { name: 'Gå til side 1, den sidste' });
	await back.click();
	await page.waitForURL((url) => !url.searchParams.has('page'));
	await searched(page);
	assert.equal(await page.locator('#results > li').count(), 19);
	assert.equal(await page.locator('#status').textContent(), '19 resultater for »budget«, bedste match først.');

	// Past the last of several pages: the last, and "Forrige" leads there too.
	await page.goto('/?q=&page=9');
	await searched(page);
	assert.equal(await page.locator('#status').textContent(),
		'65 punkter og budgetafsnit, nyeste først. Side 9 findes ikke: der er 4 sider.');
	const pages = page.getByRole('navigation', { name: 'Sider' });
	assert.match(await pages.getByRole('link', { name: 'Forrige' }).getAttribute('href'), /page=4$/);
	await page.getByRole('link', { name: 'Gå til side 4, den sidste' }).click();
	await page.waitForURL(/page=4/);
	await searched(page);
	assert.equal(await page.locator('#results > li').count(), 5);
});

test('the head links the feed of the current search', async () => {
	const { page } = ctx;
	// What a feed reader reads, which runs no script: every record's feed.
	const html = await (await fetched(ctx, '/')).text();
	assert.match(html, /<link id="feed-link" rel="alternate" type="application\/atom\+xml" title="Kommunesøg" href="\/feed">/);
	await page.goto('/?q=budget&udvalg=Direktionen&sort=date_asc&page=1');
	await searched(page);
	const link = page.locator('head link[rel="alternate"][type="application/atom+xml"]');
	assert.equal(await link.count(), 1);
	const href = await link.getAttribute('href');
	assert.equal(href, '/feed?q=budget&udvalg=Direktionen');
	assert.equal(await link.getAttribute('title'), 'Kommunesøg: budget');
	const feed = await fetched(ctx, href);
	assert.equal(feed.status(), 200);
	assert.match(await feed.text(), /<title>Kommunesøg: budget, udvalg Direktionen<\/title>/);
	// A new search moves it.
	await page.goto('/?q=&sag=25-002103');
	await searched(page);
	assert.equal(await link.getAttribute('href'), '/feed?sag=25-002103');
});

test('the exports are downloaded under the name of the search', async () => {
	const { page } = ctx;
	await page.goto('/?q=hjemløshed');
	await searched(page);
	const exports = page.locator('#exports');
	const day = () => {
		const today = new Date();
		return [today.getFullYear(), today.getMonth() + 1, today.getDate()]
			.map((n) => String(n).padStart(2, '0')).join('-');
	};
	for (const [name, ext] of [['Excel (xlsx)', 'xlsx'], ['CSV (regneark)', 'csv']]) {
		const link = exports.getByRole('link', { name });
		assert.equal(new URL(await link.getAttribute('href'), ctx.server.url).searchParams.get('format'), ext);
		const before = day();
		const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
		// The browser takes the name of filename* (UTF-8) over the ASCII one.
		const names = [before, day()].map((d) => `kommunesøg-hjemløshed-${d}.${ext}`);
		assert.ok(names.includes(download.suggestedFilename()), download.suggestedFilename());
		await download.cancel();
	}
});
