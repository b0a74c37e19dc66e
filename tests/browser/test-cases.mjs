// test-cases.mjs — case numbers as people write and paste them, in a real
// browser against the real server: the links of intranet pages land on the
// case, the search box says when it showed a lettered case instead of the
// number asked for, and the case page lists a number's lettered cases.  The
// corpus and one more meeting (tests/browser/cases) whose item has the case
// 21-046835L, so that 21-046835 has two lettered cases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { api, drawn, searched, texts, useBrowser } from './harness.mjs';

const cases = path.join(path.dirname(fileURLToPath(import.meta.url)), 'cases');
const ctx = useBrowser({ documents: [process.env.KS_CORPUS, cases] });

test('an intranet link, however it is written, lands on the case', async () => {
	const { page } = ctx;
	const titles = (await api(ctx, '/api/sag/25-002452')).items.map((i) => i.title);
	assert.equal(titles.length, 1);
	for (const link of ['/sag/25-002452', '/sag/25-2452', '/sag/25-002452/', '/sag/25-2452?fra=intranet',
		'/sag/25-002452/#punkt', '/sag/25-2452#punkt', '/sag/25-002452%20']) {
		const response = await page.goto(link);
		assert.equal(response.status(), 200, link);
		await drawn(page);
		const url = new URL(page.url());
		assert.equal(url.pathname, '/sag/25-002452', link);
		// The browser keeps the link's fragment across the redirect.
		assert.equal(url.hash, link.includes('#') ? '#punkt' : '', link);
		assert.equal(await page.getByRole('heading', { level: 1 }).textContent(),
			`Sag 25-002452: ${titles[titles.length - 1]}`, link);
		assert.deepEqual(await texts(page, '#timeline > li h2'), titles, link);
	}
	// A lettered case asked for without its letter or in lower case.
	await page.goto('/sag/21-046835k');
	await drawn(page);
	assert.equal(new URL(page.url()).pathname, '/sag/21-046835K');
	assert.equal(await page.locator('#cases').textContent(), '');
});

test('the case page lists the lettered cases of a number that only they have', async () => {
	const { page } = ctx;
	const response = await page.goto('/sag/21-46835');
	assert.equal(response.status(), 200);
	await drawn(page);
	assert.equal(new URL(page.url()).pathname, '/sag/21-046835');
	assert.equal(await page.locator('#cases').textContent(),
		'Sag 21-046835 findes ikke. Punkterne herunder hører til sagerne 21-046835K og 21-046835L.');
	assert.deepEqual(await page.locator('#cases a').evaluateAll((all) => all.map((a) => a.getAttribute('href'))),
		['/sag/21-046835K', '/sag/21-046835L']);
	assert.equal(await page.locator('#timeline > li').count(), 2);
	await page.locator('#cases').getByRole('link', { name: '21-046835L' }).click();
	await page.waitForURL('**/sag/21-046835L');
	await drawn(page);
	assert.match(await page.getByRole('heading', { level: 1 }).textContent(), /^Sag 21-046835L: ./);
});

test('the search box finds a case without its zeros, and says when it shows a lettered case', async () => {
	const { page } = ctx;
	const titles = (await api(ctx, '/api/sag/25-002452')).items.map((i) => i.title);
	await page.goto('/?q=25-2452');
	await searched(page);
	assert.equal(await page.locator('#results > li h3').first().textContent(), titles[0]);
	assert.equal(await page.locator('#notice').isVisible(), false);
	for (const q of ['sag:21-046835', '21-046835']) {
		await page.goto(`/?q=${encodeURIComponent(q)}`);
		await searched(page);
		assert.equal(await page.locator('#notice').textContent(),
			'Sag 21-046835 findes ikke; viser 21-046835K og 21-046835L.', q);
		assert.equal(await page.locator('#results > li').count(), 2, q);
	}
	// A search of its own clears the word.
	await page.locator('#q').fill('hjemløshed');
	await page.locator('#q').press('Enter');
	await searched(page);
	assert.equal(await page.locator('#notice').textContent(), '');
});
