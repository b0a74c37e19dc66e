// test-site.mjs — what a browser sees around the pages: the Danish error
// pages in the site's frame (an unknown address, a bad filter in the
// address of the search page), and printing (the print stylesheet of
// style.css: what a printout holds and what it leaves out, and that a PDF is
// made of it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { drawn, searched, useBrowser } from './harness.mjs';

const ctx = useBrowser();

// Words that only an English error has.
const ENGLISH = /\b(no such|must be|not found|is not|error)\b/i;

// The error statuses the browser reports on the console, provoked on purpose.
function forgiveErrorStatus() {
	ctx.problems = ctx.problems.filter((p) => !/status of [45]\d\d/.test(p));
}

// Whether the element of SELECTOR is drawn (in the page's current media).
function shown(page, selector) {
	return page.locator(selector).first().evaluate((e) => {
		for (let n = e; n; n = n.parentElement)
			if (getComputedStyle(n).display === 'none')
				return false;
		return e.getClientRects().length > 0;
	});
}

test('an unknown address is a Danish page in the site\'s frame, with its status', async () => {
	const { page } = ctx;
	for (const path of ['/foo', '/sag', '/item', '/nope/side.html']) {
		const response = await page.goto(path);
		assert.equal(response.status(), 404, path);
		assert.match(response.headers()['content-type'], /^text\/html/, path);
		assert.equal(await page.getAttribute('html', 'lang'), 'da');
		assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Siden findes ikke', path);
		const main = await page.getByRole('main').innerText();
		assert.match(main, /Fejlkode 404/, path);
		assert.doesNotMatch(main, ENGLISH, path);
		// The frame: the header's link home, the footer's statement.
		assert.equal(await page.getByRole('banner').getByRole('link', { name: 'Kommunesøg' }).count(), 1);
		assert.equal(await page.getByRole('contentinfo').getByRole('link', { name: 'Tilgængelighedserklæring' }).count(), 1);
		await page.getByRole('main').getByRole('link', { name: 'Til søgningen' }).click();
		await page.waitForURL((url) => url.pathname === '/');
	}
	forgiveErrorStatus();
});

test('a feed with a bad date, opened in the browser, is a Danish page that says what was wrong', async () => {
	const { page } = ctx;
	const response = await page.goto('/feed?q=budget&from=2025-13-01');
	assert.equal(response.status(), 400);
	const main = await page.getByRole('main').innerText();
	assert.match(main, /Fra-datoen skal skrives ÅÅÅÅ-MM-DD/);
	assert.match(main, /Fejlkode 400/);
	assert.doesNotMatch(main, ENGLISH);
	forgiveErrorStatus();
});

test('the search page says what was wrong with its address in Danish', async () => {
	const { page } = ctx;
	for (const [query, danish] of [['from=2025-13-45', /Fra-datoen skal skrives ÅÅÅÅ-MM-DD/],
		['to=31-12-2025', /Til-datoen skal skrives ÅÅÅÅ-MM-DD/],
		['from=2025-06-01&to=2025-01-01', /Fra-datoen ligger efter til-datoen/],
		['sort=tilfældig', /Den valgte sortering findes ikke/]]) {
		await page.goto(`/?q=budget&${query}`);
		await searched(page);
		const error = await page.locator('#error').innerText();
		assert.match(error, danish, query);
		assert.doesNotMatch(error, ENGLISH, query);
	}
	forgiveErrorStatus();
});

test('a printed search is its results, without the form, filters, exports and navigation', async () => {
	const { page } = ctx;
	await page.goto('/?q=budget');
	await searched(page);
	await page.emulateMedia({ media: 'print' });
	for (const selector of ['#search-form', '.help', 'aside.filters', '#filter-form', '#pages', '#exports',
		'.skip', 'footer.site'])
		assert.equal(await shown(page, selector), false, `${selector} is not printed`);
	for (const selector of ['#results > li', '#status', 'h1'])
		assert.equal(await shown(page, selector), true, `${selector} is printed`);
	// The same page on the screen has them all.
	await page.emulateMedia({ media: 'screen' });
	for (const selector of ['#search-form', 'aside.filters', '#exports', 'footer.site'])
		assert.equal(await shown(page, selector), true, `${selector} is on the screen`);
	await page.emulateMedia({ media: 'print' });
	const pdf = await page.pdf({ format: 'A4' });
	assert.ok(pdf.length > 1000 && pdf.subarray(0, 5).toString() === '%PDF-', 'a PDF is made');
});

test('a printed item has its meeting and case at the top and no navigation', async () => {
	const { page } = ctx;
	await page.goto('/item/direktionen-2025-11-17-6');
	await drawn(page);
	await page.emulateMedia({ media: 'print' });
	for (const selector of ['nav.crumbs', 'footer.site', '.skip'])
		assert.equal(await shown(page, selector), false, `${selector} is not printed`);
	assert.equal(await page.locator('nav').evaluateAll((all) => all.filter((n) => n.getClientRects().length).length), 0,
		'no navigation is printed');
	for (const selector of ['#title', '#facts', '#sections'])
		assert.equal(await shown(page, selector), true, `${selector} is printed`);
	const facts = (await page.locator('#facts').innerText()).replace(/\s+/g, ' ');
	for (const part of ['Direktionen', '17. november 2025', '25-008999'])
		assert.ok(facts.includes(part), `${part} in the printed facts: ${facts}`);
	// The heading and the facts come first, before the sections.
	const tops = await page.evaluate(() => ['title', 'facts', 'sections'].map(
		(id) => document.getElementById(id).getBoundingClientRect().top));
	assert.ok(tops[0] < tops[1] && tops[1] < tops[2], `heading, facts, sections: ${tops}`);
	// A link to another site prints its address after it; the site's own do not.
	const after = await page.evaluate(() => {
		const main = document.querySelector('main');
		const outside = document.createElement('a');
		outside.href = 'https://kommune.example/dokument.pdf';
		outside.textContent = 'dokumentet';
		main.append(outside);
		const own = main.querySelector('#facts a[href^="/sag/"]');
		return [getComputedStyle(outside, '::after').content, getComputedStyle(own, '::after').content];
	});
	assert.equal(after[0], '" (https://kommune.example/dokument.pdf)"');
	assert.ok(after[1] === 'none' || after[1] === 'normal', `the case link prints no address: ${after[1]}`);
	const pdf = await page.pdf({ format: 'A4' });
	assert.ok(pdf.length > 1000 && pdf.subarray(0, 5).toString() === '%PDF-', 'a PDF is made');
});
