// test-search.mjs — the search page "/" in a real browser against the real
// server over the corpus: typing a query, facets, paging, sorting, the date
// range, "Mente du", the empty state, exports, and the address as the state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, fetched, submitSearch, searched, texts, useBrowser } from './harness.mjs';

const ctx = useBrowser();

test('typing a query shows the expected items with highlighted snippets', async () => {
	const { page } = ctx;
	await page.goto('/');
	await searched(page);
	await submitSearch(page, 'hjemløsestrategi');
	const titles = await texts(page, '#results > li h3');
	assert.equal(titles[0], 'Beslutning om hjemløsestrategi');
	const expected = await api(ctx, '/api/search?q=hjeml%C3%B8sestrategi');
	assert.deepEqual(titles, expected.results.map((r) => r.title));
	const first = page.locator('#results > li').first();
	assert.match(await first.locator('.meta').textContent(), /Møde i Direktionen · 17\. november 2025 · Punkt 6 · Sag 25-008999/);
	assert.equal(await first.locator('.decision').textContent(), 'Beslutning: Anbefales.');
	assert.ok(await first.locator('.snippet mark').count() > 0, 'the snippet marks the match');
	// The link carries the search, whose words the item page marks.
	assert.equal(await first.locator('h3 a').getAttribute('href'), '/item/direktionen-2025-11-17-6?q=hjeml%C3%B8sestrategi');
	// The live region tells the count; the title and the box keep the query.
	assert.equal(await page.locator('#status').textContent(),
		`${expected.total} ${expected.total === 1 ? 'resultat' : 'resultater'} for »hjemløsestrategi«, bedste match først.`);
	assert.equal(await page.locator('#status').getAttribute('role'), 'status');
	assert.equal(await page.title(), 'hjemløsestrategi – Søgning – Kommunesøg');
	assert.equal(await page.getByLabel('Søgeord').inputValue(), 'hjemløsestrategi');
});

test('a closed item is marked closed and shows nothing but what may be shown', async () => {
	const { page } = ctx;
	await page.goto('/?q=&lukket=true&sort=date_asc');
	await searched(page);
	const closed = page.locator('#results > li.closed');
	assert.equal(await closed.count(), 20);
	const first = closed.first();
	assert.equal(await first.locator('.badge').textContent(), 'Lukket punkt');
	assert.equal(await first.locator('.decision').count(), 0);
	assert.equal(await first.locator('.snippet').count(), 0);
	// What the published minutes print of it: its meeting, committee and number.
	assert.match(await first.locator('.meta').textContent(), /^Møde i Direktionen · 6\. november 2023 · Punkt \d+ · Sag \d\d-\d{6}$/);
	assert.match(await page.locator('#status').textContent(), /^29 punkter og budgetafsnit, ældste først\. Side 1 af 2\.$/);
});

test('choosing a facet filters, and removing it widens again', async () => {
	const { page } = ctx;
	await page.goto('/?q=budget');
	await searched(page);
	const all = await api(ctx, '/api/search?q=budget');
	const facet = page.locator('#facets section', { has: page.getByRole('heading', { name: 'Udvalg' }) });
	const link = facet.getByRole('link', { name: /^Økonomiudvalget, / });
	assert.equal(await link.locator('.n').textContent(), String(all.facets.udvalg['Økonomiudvalget']));
	await link.click();
	await page.waitForURL(/udvalg=%C3%98konomiudvalget/);
	await searched(page);
	const results = page.locator('#results > li');
	assert.equal(await results.count(), all.facets.udvalg['Økonomiudvalget']);
	for (const meta of await texts(page, '#results > li .meta'))
		assert.match(meta, /Økonomiudvalget/);
	// Focus moves to the results, whose heading a screen reader reads first.
	assert.equal(await page.evaluate(() => document.activeElement.id), 'results-heading');
	// The chosen value is marked in its facet and listed as a filter to remove.
	assert.equal(await facet.locator('a[aria-current="true"]').count(), 1);
	const chip = page.getByRole('link', { name: 'Fjern filteret Udvalg: Økonomiudvalget' });
	await chip.click();
	await page.waitForURL((url) => !url.searchParams.has('udvalg'));
	await searched(page);
	assert.equal(await results.count(), all.total);

	// A year and a type narrow together.
	await page.locator('#facets').getByRole('link', { name: /^2024, / }).click();
	await searched(page);
	await page.locator('#facets').getByRole('link', { name: /^Budgetbemærkninger, / }).click();
	await page.waitForURL(/type=budget/);
	await searched(page);
	const url = new URL(page.url());
	assert.equal(url.searchParams.get('year'), '2024');
	assert.equal(url.searchParams.get('type'), 'budget');
	const both = await api(ctx, '/api/search?q=budget&year=2024&type=budget');
	assert.deepEqual(await texts(page, '#results > li h3'), both.results.map((r) => r.title));
	assert.ok(both.total > 0);
	await page.getByRole('link', { name: 'Fjern alle filtre' }).click();
	await searched(page);
	assert.equal(await results.count(), all.total);
});

test('a facet of no more values than the top lists them all, without "Vis flere"', async () => {
	// The corpus's facets are short (test-facets.mjs has longer ones).
	const { page } = ctx;
	await page.goto('/');
	await searched(page);
	const all = await api(ctx, '/api/search?q=');
	const facets = page.locator('#facets section');
	assert.equal(await facets.count(), 4);
	for (const [name, counts] of Object.entries(all.facets))
		assert.ok(Object.keys(counts).length <= 8, `${name} has more than 8 values`);
	const listed = Object.values(all.facets).reduce((sum, counts) => sum + Object.keys(counts).length, 0);
	assert.equal(await page.locator('#facets li:visible').count(), listed);
	assert.equal(await page.locator('#facets li[hidden]').count(), 0);
	assert.equal(await page.locator('#facets button').count(), 0);
});

test('paging moves through the results, and the back button returns', async () => {
	const { page } = ctx;
	await page.goto('/');
	await searched(page);
	const all = await api(ctx, '/api/search?q=&per_page=100');
	assert.equal(all.total, 65);
	assert.deepEqual(await texts(page, '#results > li h3'), all.results.slice(0, 20).map((r) => r.title));
	assert.match(await page.locator('#status').textContent(), /Side 1 af 4/);
	const pages = page.getByRole('navigation', { name: 'Sider' });
	assert.equal(await pages.locator('[aria-current="page"]').textContent(), '1');
	await pages.getByRole('link', { name: 'Næste' }).click();
	await page.waitForURL(/page=2/);
	await searched(page);
	assert.deepEqual(await texts(page, '#results > li h3'), all.results.slice(20, 40).map((r) => r.title));
	assert.equal(await page.locator('#results').getAttribute('start'), '21');
	assert.equal(await pages.locator('[aria-current="page"]').textContent(), '2');
	await pages.getByRole('link', { name: 'Side 4' }).click();
	await page.waitForURL(/page=4/);
	await searched(page);
	assert.deepEqual(await texts(page, '#results > li h3'), all.results.slice(60).map((r) => r.title));
	assert.equal(await pages.getByRole('link', { name: 'Næste' }).count(), 0);
	await page.goBack();
	await page.waitForURL(/page=2/);
	await searched(page);
	assert.deepEqual(await texts(page, '#results > li h3'), all.results.slice(20, 40).map((r) => r.title));
	await page.goBack();
	await page.waitForURL((url) => !url.searchParams.has('page'));
	await searched(page);
	assert.deepEqual(await texts(page, '#results > li h3'), all.results.slice(0, 20).map((r) => r.title));
});

test('sorting by date puts the oldest or the newest meeting first', async () => {
	const { page } = ctx;
	await page.goto('/?q=budget');
	await searched(page);
	await page.getByLabel('Sortering').selectOption('date_asc');
	await page.waitForURL(/sort=date_asc/);
	await searched(page);
	const asc = await api(ctx, '/api/search?q=budget&sort=date_asc');
	assert.deepEqual(await texts(page, '#results > li h3'), asc.results.map((r) => r.title));
	const dates = await page.locator('#results time').evaluateAll((all) => all.map((t) => t.getAttribute('datetime')));
	assert.deepEqual(dates, [...dates].sort());
	assert.equal(dates[0], '2023-11-06');
	await page.getByLabel('Sortering').selectOption('date_desc');
	await page.waitForURL(/sort=date_desc/);
	await searched(page);
	const desc = await page.locator('#results time').evaluateAll((all) => all.map((t) => t.getAttribute('datetime')));
	assert.deepEqual(desc, [...desc].sort().reverse());
	assert.equal(desc[0], '2025-10-06');
	// Budget sections by their net budget, largest first.
	await page.getByLabel('Sortering').selectOption('nettobudget_desc');
	await page.waitForURL(/sort=nettobudget_desc/);
	await searched(page);
	const byBudget = await api(ctx, '/api/search?q=budget&sort=nettobudget_desc');
	assert.deepEqual(await texts(page, '#results > li h3'), byBudget.results.map((r) => r.title));
	await page.getByLabel('Sortering').selectOption('date_desc');
	await page.waitForURL(/sort=date_desc/);
	await searched(page);
	// The address alone restores the sort: a reload keeps it.
	await page.reload();
	await searched(page);
	assert.equal(await page.getByLabel('Sortering').inputValue(), 'date_desc');
});

test('a date range narrows to meetings within it, and a reversed one is explained', async () => {
	const { page } = ctx;
	await page.goto('/');
	await searched(page);
	await page.getByLabel('Fra', { exact: true }).fill('2025-08-19');
	await page.getByLabel('Til', { exact: true }).fill('2025-10-06');
	await page.getByRole('button', { name: 'Anvend datoer' }).click();
	await page.waitForURL(/from=2025-08-19&to=2025-10-06/);
	await searched(page);
	const dates = await page.locator('#results time').evaluateAll((all) => all.map((t) => t.getAttribute('datetime')));
	assert.equal(dates.length, 11);
	assert.ok(dates.every((d) => d === '2025-10-06'), dates.join());
	assert.ok(await page.getByRole('link', { name: 'Fjern filteret Fra 19. august 2025' }).isVisible());

	await page.goto('/?from=2025-10-06&to=2025-01-01');
	await page.waitForFunction(() => document.getElementById('error').textContent.trim());
	assert.equal(await page.getByRole('alert').textContent(), 'Fra-datoen ligger efter til-datoen. Ret en af dem.');
});

test('a misspelt query offers "Mente du", and following it searches again', async () => {
	const { page } = ctx;
	await page.goto('/?q=budgetopf%C3%B8lgnig');
	await searched(page);
	assert.equal(await page.locator('#suggestion').textContent(), 'Mente du: budgetopfølgning?');
	await page.locator('#suggestion a').click();
	await page.waitForURL((url) => url.searchParams.get('q') === 'budgetopfølgning');
	await searched(page);
	assert.ok(await page.locator('#results > li').count() > 0);
	assert.equal(await page.locator('#suggestion').textContent(), '');
});

test('a search that finds nothing says what to try', async () => {
	const { page } = ctx;
	await page.goto('/?q=zebraflodhest&udvalg=Direktionen');
	await searched(page);
	assert.equal(await page.locator('#status').textContent(), 'Ingen resultater for »zebraflodhest«.');
	const empty = page.locator('#empty');
	assert.equal(await empty.getByRole('heading').textContent(), 'Ingen punkter passer til søgningen');
	assert.match(await empty.textContent(), /Tjek stavningen/);
	assert.equal(await page.locator('#results > li').count(), 0);
	assert.equal(await page.locator('#exports').textContent(), '');
	await empty.getByRole('link', { name: 'fjerne filtrene' }).click();
	await page.waitForURL((url) => !url.searchParams.has('udvalg') && url.searchParams.get('q') === 'zebraflodhest');
	await searched(page);
});

test('markup typed into the search stays text', async () => {
	const { page } = ctx;
	const evil = '<img src=x onerror="window.ksPwned=1"><script>window.ksPwned=2</script>';
	await page.goto('/');
	await searched(page);
	await submitSearch(page, evil);
	assert.equal(await page.locator('#status').textContent(), `Ingen resultater for »${evil}«.`);
	assert.equal(await page.locator('main img, main script').count(), 0);
	assert.equal(await page.evaluate(() => window.ksPwned), undefined);
	assert.equal(await page.getByLabel('Søgeord').inputValue(), evil);
	// A chosen filter with markup in it is shown as text too.
	await page.goto(`/?udvalg=${encodeURIComponent(evil)}`);
	await searched(page);
	assert.equal(await page.locator('main img, main script').count(), 0);
	assert.match(await page.locator('#active').textContent(), /Udvalg: <img src=x/);
});

test('the current search can be exported as CSV, JSON and an Atom feed', async () => {
	const { page } = ctx;
	await page.goto('/?q=budget&udvalg=Direktionen&sort=date_asc&page=1');
	await searched(page);
	const exports = page.locator('#exports');
	const csvHref = await exports.getByRole('link', { name: 'CSV (regneark)' }).getAttribute('href');
	const csvURL = new URL(csvHref, ctx.server.url);
	assert.equal(csvURL.pathname, '/api/search');
	assert.equal(csvURL.searchParams.get('format'), 'csv');
	assert.equal(csvURL.searchParams.get('udvalg'), 'Direktionen');
	const csv = await fetched(ctx, csvHref);
	assert.equal(csv.status(), 200);
	const body = await csv.body();
	assert.deepEqual([...body.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'a byte order mark');
	const rows = body.subarray(3).toString('utf8').trim().split('\r\n');
	assert.equal(rows[0], 'id;type;title;sagsnummer;lukket;date;year;udvalg;punkt;beslutning;nettobudget;url');
	const listed = await page.locator('#results > li').count();
	assert.equal(rows.length - 1, listed);

	const feedHref = await exports.getByRole('link', { name: 'Abonnér som feed (Atom)' }).getAttribute('href');
	assert.ok(feedHref.startsWith('/feed?'), feedHref);
	assert.equal(new URL(feedHref, ctx.server.url).searchParams.get('sort'), null);
	const feed = await fetched(ctx, feedHref);
	assert.equal(feed.status(), 200);
	assert.equal((await feed.text()).match(/<entry>/g).length, listed);

	const jsonHref = await exports.getByRole('link', { name: 'JSON' }).getAttribute('href');
	const json = await (await fetched(ctx, jsonHref)).json();
	assert.equal(json.total, listed);
	// The browser finds the OpenSearch description.
	assert.equal(await page.locator('link[rel="search"]').getAttribute('href'), '/opensearch.xml');
});

test('the address holds the whole search: opened anew it shows the same', async () => {
	const { page } = ctx;
	const address = '/?q=budget&type=punkt&year=2025&sort=date_desc';
	await page.goto(address);
	await searched(page);
	const expected = await api(ctx, '/api/search?q=budget&type=punkt&year=2025&sort=date_desc');
	assert.deepEqual(await texts(page, '#results > li h3'), expected.results.map((r) => r.title));
	assert.equal(await page.getByLabel('Søgeord').inputValue(), 'budget');
	assert.equal(await page.getByLabel('Sortering').inputValue(), 'date_desc');
	assert.deepEqual(await texts(page, '#active .chips a'), ['Type: Dagsordenspunkter ×', 'År: 2025 ×']);
	// A new query keeps the filters and starts at page 1.
	await submitSearch(page, 'orientering');
	const url = new URL(page.url());
	assert.equal(url.searchParams.get('type'), 'punkt');
	assert.equal(url.searchParams.get('year'), '2025');
	assert.equal(url.searchParams.get('page'), null);
});

test('the help text explains the query syntax', async () => {
	const { page } = ctx;
	await page.goto('/');
	await searched(page);
	const help = page.locator('details.help');
	assert.equal(await help.locator('ul').isVisible(), false);
	await help.locator('summary').click();
	const text = await help.textContent();
	for (const part of ['"eksakt sætning"', 'OR', 'budget -anlæg', 'beredskab*', 'titel:', 'sag:', 'udvalg:', 'år:',
		'2025-01-01..2025-06-30', 'beslutning:', 'indstilling:', 'resume:', 'oekonomi:', 'bilag:', 'nettobudget:10000000..', 'hjemløsestrategi'])
		assert.ok(text.includes(part), part);
});
