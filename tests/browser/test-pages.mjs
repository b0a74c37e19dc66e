// test-pages.mjs — the case page /sag/{nr}, the item page /item/{id} and the
// way between them, in a real browser against the real server; the same
// ways taken with the keyboard alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, drawn, searched, texts, useBrowser } from './harness.mjs';

const ctx = useBrowser();


test('a result leads to its item page, and the item page to its case page', async () => {
	const { page } = ctx;
	await page.goto('/?q=hjeml%C3%B8sestrategi');
	await searched(page);
	await page.locator('#results > li').first().getByRole('link', { name: 'Beslutning om hjemløsestrategi' }).click();
	// The result's link carries the search, whose words the item page marks.
	await page.waitForURL('**/item/direktionen-2025-11-17-6?q=hjeml%C3%B8sestrategi');
	await drawn(page);
	const item = await api(ctx, '/api/item/direktionen-2025-11-17-6');
	assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), item.title);
	assert.equal(await page.title(), `${item.title} – Kommunesøg`);
	// The sections as headings, in reading order.
	assert.deepEqual(await texts(page, '#sections h2'), ['Beslutning', 'Resume og sagens baggrund',
		'Indstillinger', 'Sagsfremstilling', 'Økonomiske konsekvenser', 'Behandling', 'Bilag']);
	assert.equal(await page.locator('.section-beslutning p').textContent(), item.sections.beslutning);
	// Behandling and Bilag as lists.
	assert.deepEqual(await texts(page, '.section-behandling li'), item.behandling);
	assert.deepEqual(await texts(page, '.section-bilag li'), item.bilag);
	// The bullet list of the Sagsfremstilling is a list.
	assert.ok(await page.locator('.section-sagsfremstilling ul li').count() >= 5);
	// The meeting's metadata.
	const facts = await page.locator('#facts').textContent();
	for (const part of ['Direktionen', '17. november 2025 kl. 12:30', 'Mødelokale 8', 'Michael Gravesen', 'Punkt6'])
		assert.ok(facts.replace(/\s+/g, ' ').includes(part) || facts.includes(part), `${part} in ${facts}`);
	// The breadcrumb leads back to the results that led here.
	assert.equal(await page.getByRole('navigation', { name: 'Brødkrumme' }).getByRole('link', { name: 'Søgeresultater' })
		.getAttribute('href'), '/?q=hjeml%C3%B8sestrategi');

	await page.locator('#facts').getByRole('link', { name: /25-008999/ }).click();
	await page.waitForURL('**/sag/25-008999');
	await drawn(page);
	// The case is named by its subject, the title of its newest item.
	assert.equal(await page.getByRole('heading', { level: 1 }).textContent(),
		'Sag 25-008999: Beslutning om hjemløsestrategi');
});

test('the case page lists every item of the case, oldest first', async () => {
	const { page } = ctx;
	const response = await page.goto('/sag/25-008999');
	assert.equal(response.status(), 200);
	await drawn(page);
	const sag = await api(ctx, '/api/sag/25-008999');
	assert.equal(sag.items.length, 2);
	assert.deepEqual(await texts(page, '#timeline > li h2'), sag.items.map((i) => i.title));
	const dates = await page.locator('#timeline time').evaluateAll((all) => all.map((t) => t.getAttribute('datetime')));
	assert.deepEqual(dates, ['2025-08-18', '2025-11-17']);
	assert.deepEqual(await texts(page, '#timeline time'), ['18. august 2025', '17. november 2025']);
	assert.deepEqual(await texts(page, '#timeline .decision'), ['Beslutning: Anbefales.', 'Beslutning: Anbefales.']);
	// The first lines of the resume, each entry linking to its item.
	const excerpt = await page.locator('#timeline .excerpt').first().textContent();
	assert.ok(sag.items[0].sections.resume.startsWith(excerpt.replace(/ …$/, '').slice(0, 60)), excerpt);
	assert.deepEqual(await page.locator('#timeline h2 a').evaluateAll((all) => all.map((a) => a.getAttribute('href'))),
		sag.items.map((i) => i.url));
	assert.match(await page.locator('#timeline .meta').first().textContent(), /Møde i Direktionen · 18\. august 2025 · kl\. 12:30 · Punkt 5/);
	assert.equal(await page.locator('#status').textContent(),
		'2 punkter fra 18. august 2025 til 17. november 2025, ældste først.');
	assert.equal(await page.title(), 'Sag 25-008999: Beslutning om hjemløsestrategi – Kommunesøg');
	// Each entry leads to its meeting's page.
	assert.deepEqual(await page.locator('#timeline .meta').getByRole('link', { name: 'Møde i Direktionen' })
		.evaluateAll((all) => all.map((a) => a.getAttribute('href'))),
	['/moede/direktionen/2025-08-18', '/moede/direktionen/2025-11-17']);
	// A case with a closed item and a lower-case suffix.
	await page.goto('/sag/21-046835k');
	await drawn(page);
	assert.equal(await page.getByRole('heading', { level: 1 }).textContent(),
		'Sag 21-046835K: Forlængelse af forsikringsaftale');
	assert.equal(await page.locator('#timeline .badge').first().textContent(), 'Lukket punkt');
	assert.match(await page.locator('#timeline .note').first().textContent(), /lukkede døre/);
});

test('an unknown case says so, and a malformed one too', async () => {
	const { page } = ctx;
	let response = await page.goto('/sag/25-000000');
	assert.equal(response.status(), 404);
	assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Sag 25-000000 findes ikke');
	assert.equal(await page.title(), 'Sag 25-000000 findes ikke – Kommunesøg');
	assert.ok(await page.getByRole('link', { name: 'Til søgningen' }).isVisible());
	assert.ok(await page.getByRole('banner').isVisible());
	response = await page.goto('/sag/%3Cscript%3Ealert(1)%3C%2Fscript%3E');
	assert.equal(response.status(), 400);
	assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Ugyldigt sagsnummer');
	assert.equal(await page.locator('script').count(), 0);
	response = await page.goto('/item/findes-ikke-1');
	assert.equal(response.status(), 404);
	assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Punktet findes ikke');
	// The browser reports the 4xx responses as console errors: expected here.
	ctx.problems = ctx.problems.filter((p) => !/status of 40[04]/.test(p));
});

test('a budget section shows its net budget in Danish number format', async () => {
	const { page } = ctx;
	await page.goto('/?q=&type=budget&sort=date_asc');
	await searched(page);
	await page.getByRole('link', { name: 'Jobcenter' }).click();
	await page.waitForURL('**/item/budget-2024-oekonomiudvalget-1');
	await drawn(page);
	const item = await api(ctx, '/api/item/budget-2024-oekonomiudvalget-1');
	assert.equal(item.nettobudget, 50190100);
	assert.equal(await page.locator('.amount').textContent(), '50.190.100 kr.');
	assert.deepEqual(await texts(page, '#sections h2'), ['Budgetgrundlag', 'Beskrivelse af området', 'Udvikling og udfordringer']);
	const facts = await page.locator('#facts').textContent();
	assert.match(facts, /Budgetbemærkninger/);
	assert.match(facts, /Budgetår\s*2024/);
	await page.goto('/item/budget-2024-oekonomiudvalget-5');
	await drawn(page);
	assert.equal(await page.locator('.amount').textContent(), '21.193.700 kr.');
	// A sub-heading of the area's text and its nested list.
	assert.ok((await texts(page, '.section h3.subheading')).includes('Staben'));
	assert.ok(await page.locator('.section-udvikling li ul li').count() >= 3);
});

test('a closed item shows only what the minutes print of it, and says why', async () => {
	const { page } = ctx;
	const closed = (await api(ctx, '/api/search?lukket=true&per_page=1&sort=date_asc')).results[0];
	await page.goto(closed.url);
	await drawn(page);
	assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), closed.title);
	assert.match(await page.locator('.notice').textContent(), /^Lukket punkt\. Punktet er behandlet for lukkede døre/);
	assert.equal(await page.locator('#sections').textContent(), '');
	const facts = await page.locator('#facts').textContent();
	assert.match(facts, /Mødedato/);
	assert.match(facts, new RegExp(closed.sagsnummer));
	assert.match(facts, new RegExp(`MødeDirektionen.*Punkt${closed.punkt}`));
	assert.equal(await page.locator('#source').textContent(), 'Kilde: direktionen-2023-11-06.txt');
});

test('keyboard alone: skip link, search, a result, its case', async () => {
	const { page } = ctx;
	await page.goto('/');
	await searched(page);
	// The first Tab reaches the skip link, which leads past the header.
	await page.keyboard.press('Tab');
	assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Gå til indhold');
	assert.ok(await page.locator('.skip').isVisible(), 'the skip link shows when focused');
	await page.keyboard.press('Enter');
	assert.equal(await page.evaluate(() => document.activeElement.id), 'indhold');
	// Then the search box, in the order the page reads.
	await page.keyboard.press('Tab');
	assert.equal(await page.evaluate(() => document.activeElement.id), 'q');
	await page.keyboard.type('hjemløsestrategi');
	await page.keyboard.press('Enter');
	await page.waitForURL(/q=hjeml/);
	await searched(page);
	// Focus order: box, button, help, the filter form, the facets, then the
	// results.  Tab until the first result's link has focus.
	const order = [];
	for (let i = 0; i < 40; i++) {
		await page.keyboard.press('Tab');
		const focused = await page.evaluate(() => {
			const a = document.activeElement;
			const name = a.getAttribute('aria-label') || (a.labels && a.labels.length ? a.labels[0].textContent : a.textContent);
			return { text: name.trim().replace(/,.*/, ''), inResults: !!a.closest('#results') };
		});
		if (order[order.length - 1] !== focused.text) /* a date field has three parts */
			order.push(focused.text);
		if (focused.inResults)
			break;
	}
	assert.deepEqual(order.slice(0, 9), ['Søg', 'Sådan søger du', 'Afgræns søgningen', 'Sortering', 'Fra', 'Til', 'Anvend datoer',
		'Skjul lukkede punkter', 'Dagsordenspunkter'], order.join(' | '));
	assert.equal(order[order.length - 1], 'Beslutning om hjemløsestrategi', order.join(' | '));
	const focusVisible = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
	assert.equal(focusVisible, 'solid', 'focus is visible');
	await page.keyboard.press('Enter');
	await page.waitForURL('**/item/direktionen-2025-11-17-6?q=*');
	await drawn(page);
	// On the item page: Tab to the case link and follow it.
	let onCase = false;
	for (let i = 0; i < 30 && !onCase; i++) {
		await page.keyboard.press('Tab');
		onCase = await page.evaluate(() => document.activeElement.closest('#facts') !== null &&
			document.activeElement.getAttribute('href') === '/sag/25-008999');
	}
	assert.ok(onCase, 'the case link is reachable by Tab');
	await page.keyboard.press('Enter');
	await page.waitForURL('**/sag/25-008999');
	await drawn(page);
	assert.equal(await page.locator('#timeline > li').count(), 2);
});

test('keyboard alone: a facet and the next page', async () => {
	const { page } = ctx;
	await page.goto('/');
	await searched(page);
	const facet = page.locator('#facets').getByRole('link', { name: /^Dagsordenspunkter, / });
	await facet.focus();
	await page.keyboard.press('Enter');
	await page.waitForURL(/type=punkt/);
	await searched(page);
	// Focus goes to the results' heading, so the next Tab is in the results.
	assert.equal(await page.evaluate(() => document.activeElement.id), 'results-heading');
	await page.keyboard.press('Tab');
	assert.ok(await page.evaluate(() => !!document.activeElement.closest('#active, #results')));
	await page.getByRole('navigation', { name: 'Sider' }).getByRole('link', { name: 'Næste' }).focus();
	await page.keyboard.press('Enter');
	await page.waitForURL(/page=2/);
	await searched(page);
	assert.equal(await page.locator('#results').getAttribute('start'), '21');
	assert.equal(await page.evaluate(() => document.activeElement.id), 'results-heading');
});

test("the search's words are marked on the item page, and a link leads to the first by keyboard", async () => {
	const { page } = ctx;
	await page.goto('/item/direktionen-2025-11-17-6?q=hjeml%C3%B8shed');
	await drawn(page);
	const item = await api(ctx, '/api/item/direktionen-2025-11-17-6?q=hjeml%C3%B8shed');
	// Marked as the server's Xapian snippet marks them: the word, its stem and compounds.
	const marked = await texts(page, '#sections mark');
	assert.ok(marked.includes('hjemløshed') && marked.includes('hjemløse') && marked.includes('hjemløsestrategi'), marked.join());
	// Every mark of the server's, once: the lists of Behandling and Bilag in place of their sections' text.
	const n = (s) => (s.match(/<mark>/g) || []).length;
	const shown = n(item.marks.title) + item.marks.behandling.concat(item.marks.bilag).map(n).reduce((a, b) => a + b, 0) +
		Object.entries(item.marks.sections).filter(([key]) => key !== 'behandling' && key !== 'bilag')
			.map(([, text]) => n(text)).reduce((a, b) => a + b, 0);
	assert.equal(await page.locator('#item mark').count(), shown);
	// The text is the item's text: marking adds no character and loses none.
	assert.equal((await page.locator('.section-resume p').textContent()), item.sections.resume);
	assert.ok((await page.locator('.section-sagsfremstilling ul li').count()) >= 5, 'the list is still a list');
	const finds = page.locator('#finds');
	assert.match(await finds.textContent(), /^\d+ fund for »hjemløshed«\. Gå til første fund$/);
	// By keyboard alone: Tab from the skip link reaches the link; Enter goes to the first mark.
	await page.keyboard.press('Tab');
	let tabs = 0;
	while (!(await page.evaluate(() => document.activeElement.textContent === 'Gå til første fund')) && tabs++ < 20)
		await page.keyboard.press('Tab');
	assert.ok(tabs < 20, 'the link is reachable by Tab');
	await page.keyboard.press('Enter');
	await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'fund-1');
	assert.equal(new URL(page.url()).hash, '#fund-1');
	assert.equal(await page.evaluate(() => document.activeElement.tagName), 'MARK');
	assert.equal(await page.evaluate(() => document.activeElement.closest('#sections') !== null), true);
	const inView = await page.locator('#fund-1').evaluate((m) => {
		const r = m.getBoundingClientRect();
		return r.top >= 0 && r.bottom <= window.innerHeight;
	});
	assert.ok(inView, 'the first mark is scrolled into view');
	// Without a search, no marks and no link.
	await page.goto('/item/direktionen-2025-11-17-6');
	await drawn(page);
	assert.equal(await page.locator('mark').count(), 0);
	assert.equal(await page.locator('#finds').textContent(), '');
});

test("an item page leads to the items before and after it and to its meeting's page", async () => {
	const { page } = ctx;
	await page.goto('/item/direktionen-2025-11-17-6?q=hjeml%C3%B8shed');
	await drawn(page);
	const nav = page.getByRole('navigation', { name: 'Mødets punkter' });
	assert.equal(await nav.getByRole('link', { name: /Forrige: Punkt 5/ }).getAttribute('href'),
		'/item/direktionen-2025-11-17-5?q=hjeml%C3%B8shed');
	await nav.getByRole('link', { name: /Næste: Punkt 7/ }).click();
	await page.waitForURL('**/item/direktionen-2025-11-17-7?q=*');
	await drawn(page);
	assert.match(await page.getByRole('heading', { level: 1 }).textContent(), /opprioritering/);
	await page.goto('/item/direktionen-2025-11-17-1');
	await drawn(page);
	assert.equal(await page.getByRole('navigation', { name: 'Mødets punkter' }).getByRole('link', { name: /Forrige/ }).count(), 0);
	// The meeting's whole agenda, from the facts and from the way between items.
	assert.equal(await page.locator('#facts').getByRole('link', { name: /Direktionen/ }).getAttribute('href'),
		'/moede/direktionen/2025-11-17');
	await page.getByRole('navigation', { name: 'Mødets punkter' }).getByRole('link', { name: 'Hele dagsordenen' }).click();
	await page.waitForURL('**/moede/direktionen/2025-11-17');
	assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Møde i Direktionen 17. november 2025');
});

test('the meeting page lists the whole agenda in order, closed items as their titles', async () => {
	const { page } = ctx;
	// As a person types it: sent to the one address.
	const response = await page.goto('/moede/Direktionen/17.11.2025');
	assert.equal(response.status(), 200);
	assert.equal(new URL(page.url()).pathname, '/moede/direktionen/2025-11-17');
	const agenda = (await api(ctx, '/api/search?udvalg=Direktionen&from=2025-11-17&to=2025-11-17&sort=date_asc&per_page=100')).results;
	assert.equal(agenda.length, 14);
	assert.deepEqual(await texts(page, 'ol.agenda > li h3'), agenda.map((i) => i.title));
	assert.deepEqual(await page.locator('ol.agenda > li h3 a').evaluateAll((all) => all.map((a) => a.getAttribute('href'))),
		agenda.map((i) => i.url));
	assert.equal(await page.locator('ol.agenda > li.closed').count(), agenda.filter((i) => i.lukket).length);
	assert.equal(await page.locator('ol.agenda > li.closed .decision').count(), 0);
	assert.match(await page.locator('ol.agenda > li').nth(5).textContent(), /Punkt 6 · Sag 25-008999/);
	assert.equal(await page.title(), 'Møde i Direktionen 17.11.2025 – Kommunesøg');
	assert.match(await page.locator('.facts').textContent(), /Mødelokale 8/);
	// It needs no script.
	const noScript = await ctx.browser.newContext({ javaScriptEnabled: false, baseURL: ctx.server.url });
	const plain = await noScript.newPage();
	await plain.goto('/moede/direktionen/2025-11-17');
	assert.equal(await plain.locator('ol.agenda > li').count(), 14);
	await noScript.close();
	await page.locator('ol.agenda').getByRole('link', { name: 'Beslutning om hjemløsestrategi' }).click();
	await page.waitForURL('**/item/direktionen-2025-11-17-6');
});
