// test-phone.mjs — the searches of issue 17 as a phone types them, in a real
// browser at 375 px against the real server over the corpus: the keyboard
// capitalises the first letter, people write field names with a capital and
// case numbers without their zeros, and intranet pages link to a case in
// whatever form they were pasted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, submitSearch, drawn, searched, texts, useBrowser } from './harness.mjs';

const ctx = useBrowser({ viewport: { width: 375, height: 740 } });

test('a capitalised first word finds what the lower-case word finds, the match marked', async () => {
	const { page } = ctx;
	await page.goto('/');
	await searched(page);
	for (const [typed, title] of [['Beredskabsplanerne', 'Beslutning om vedtagelse af Beredskabspolitik og beredskabsplaner'],
		['Tandlægen', null], ['Hjemløshed', null]]) {
		await submitSearch(page, typed);
		const lower = await api(ctx, `/api/search?q=${encodeURIComponent(typed.toLowerCase())}`);
		assert.ok(lower.total > 0, `${typed.toLowerCase()} finds something`);
		const titles = await texts(page, '#results > li h3');
		assert.deepEqual(titles, lower.results.map((r) => r.title), typed);
		if (title)
			assert.equal(titles[0], title);
		const first = page.locator('#results > li').first();
		assert.ok(await first.locator('.snippet mark').count() > 0, `${typed}: the snippet marks what matched`);
		assert.equal((await page.locator('#suggestion').textContent()).trim(), '', `${typed}: no "Mente du"`);
	}
});

test('a field name with a capital filters as in lower case', async () => {
	const { page } = ctx;
	await page.goto('/');
	await searched(page);
	await submitSearch(page, 'Titel:budget');
	const lower = await api(ctx, '/api/search?q=titel%3Abudget');
	assert.ok(lower.total > 0);
	assert.deepEqual(await texts(page, '#results > li h3'), lower.results.map((r) => r.title));
	assert.equal((await page.locator('#suggestion').textContent()).trim(), '');
});

test('a case number without its zeros, typed or linked, finds the case', async () => {
	const { page } = ctx;
	await page.goto('/');
	await searched(page);
	await submitSearch(page, '25-2452');
	assert.match(await page.locator('#results > li .meta').first().textContent(), /Sag 25-002452/);
	// Links as an intranet page may hold them.
	for (const link of ['/sag/25-2452', '/sag/25-002452/', '/sag/25-002452%20', '/sag/25-002452?fra=intranet']) {
		await page.goto(link);
		await page.waitForURL((url) => url.pathname === '/sag/25-002452');
		await drawn(page);
		assert.match(await page.getByRole('heading', { level: 1 }).textContent(), /25-002452/, link);
	}
});
