// test-pdf.mjs — the item page of a PDF served with --pdf-dir links to the
// page the item starts on.  The PDFs are drawn from the corpus by
// tests/tools/mkpdf (KS_MKPDF) and indexed alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { api, axeViolations, fetched, useBrowser } from './harness.mjs';

const pdfs = mkdtempSync(path.join(tmpdir(), 'ks-browser-pdf-'));
for (const name of ['budget-2024-oekonomiudvalget', 'direktionen-2025-10-06']) {
	const made = spawnSync(process.env.KS_MKPDF, [path.join(process.env.KS_CORPUS, `${name}.txt`),
		path.join(pdfs, `${name}.pdf`)], { encoding: 'utf8' });
	if (made.status !== 0)
		throw new Error(`mkpdf ${name}: ${made.stderr}`);
}
const ctx = useBrowser({ documents: [pdfs], serverArgs: ['--pdf-dir', pdfs] });

async function openItem(page, id) {
	await page.goto(`/item/${id}`);
	await page.waitForFunction(() => !/^Henter/.test(document.getElementById('status').textContent));
}

test('an item of a PDF links to the page it starts on', async () => {
	const { page } = ctx;
	const item = await api(ctx, '/api/item/budget-2024-oekonomiudvalget-6');
	assert.ok(item.page > 1, `page ${item.page}`);
	assert.equal(item.pdf, `/pdf/budget-2024-oekonomiudvalget.pdf#page=${item.page}`);
	await openItem(page, 'budget-2024-oekonomiudvalget-6');
	const link = page.locator('#source a');
	assert.equal(await link.getAttribute('href'), item.pdf);
	assert.equal(await link.textContent(), `budget-2024-oekonomiudvalget.pdf, side ${item.page}`);
	assert.equal(await page.locator('#source').textContent(), `Kilde: budget-2024-oekonomiudvalget.pdf, side ${item.page}`);
	const file = await fetched(ctx, item.pdf);
	assert.equal(file.status(), 200);
	assert.equal(file.headers()['content-type'], 'application/pdf');
	assert.deepEqual(await axeViolations(page), []);
});

test('a closed item of a PDF has no link', async () => {
	const { page } = ctx;
	await openItem(page, 'direktionen-2025-10-06-2');
	assert.equal(await page.locator('#source a').count(), 0);
	assert.equal(await page.locator('.notice').count(), 1);
});
