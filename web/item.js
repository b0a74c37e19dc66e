/* item.js — the item page /item/{id}: a whole agenda item or budget
 * section, its sections as headings, the meeting it was treated at, and the
 * way on to its case.  A closed item shows what may be shown and says why. */
'use strict';

(() => {
	const { el, fill } = KS;

	/* The order sections are read in; any other section follows them. */
	const ORDER = ['beslutning', 'resume', 'indstillinger', 'sagsfremstilling', 'oekonomi',
		'behandling', 'bilag', 'budgetgrundlag', 'beskrivelse', 'udvikling'];

	function fact(term, ...description) {
		return [el('dt', {}, term), el('dd', {}, ...description)];
	}

	function facts(item) {
		const rows = [];
		rows.push(fact('Type', item.type === 'budget' ? 'Budgetbemærkninger' : 'Dagsordenspunkt'));
		if (item.udvalg)
			rows.push(fact(item.type === 'budget' ? 'Udvalg' : 'Møde', item.udvalg));
		if (item.type === 'budget' && item.year)
			rows.push(fact('Budgetår', String(item.year)));
		if (item.date)
			rows.push(fact('Mødedato', KS.dateElement(item.date),
				item.meeting && item.meeting.time ? ` kl. ${item.meeting.time}` : null));
		if (item.meeting && item.meeting.place)
			rows.push(fact('Mødested', item.meeting.place));
		if (item.meeting && item.meeting.participants && item.meeting.participants.length)
			rows.push(fact('Mødedeltagere', item.meeting.participants.join(', ')));
		if (item.punkt !== null && item.type === 'punkt')
			rows.push(fact('Punkt', String(item.punkt)));
		if (item.sagsnummer)
			rows.push(fact('Sagsnummer', el('a', { href: `/sag/${encodeURIComponent(item.sagsnummer)}` },
				`${item.sagsnummer}`, el('span', { class: 'aside' }, ' – alle sagens punkter'))));
		if (item.nettobudget !== null && item.nettobudget !== undefined)
			rows.push(fact('Samlet nettobudget for området', el('span', { class: 'amount' }, KS.kroner(item.nettobudget))));
		return rows.flat();
	}

	/* One section: a heading and its text; Behandling and Bilag as lists. */
	function section(item, key, text) {
		const list = key === 'behandling' ? item.behandling : key === 'bilag' ? item.bilag : null;
		const id = `afsnit-${key}`;
		return el('section', { class: `section section-${key}`, 'aria-labelledby': id },
			el('h2', { id }, KS.SECTION_TITLES[key] || key),
			list && list.length ? el('ul', {}, list.map((entry) => el('li', {}, entry)))
				: KS.sectionBlocks(text, 'h3'));
	}

	function notFound() {
		document.title = 'Punktet findes ikke – Kommunesøg';
		fill('title', 'Punktet findes ikke');
		fill('status', '');
		fill('error', el('p', {}, 'Der er intet dagsordenspunkt eller budgetafsnit med denne adresse. Det kan være fjernet fra søgningen.'),
			el('p', {}, el('a', { href: '/' }, 'Til søgningen')));
	}

	async function init() {
		const id = KS.pathRest('/item/');
		const response = await KS.getJSON(`/api/item/${encodeURIComponent(id)}`);
		if (response.status === 404) {
			notFound();
			return;
		}
		if (!response.ok) {
			fill('status', '');
			fill('error', el('p', {}, KS.errorText(response)));
			return;
		}
		const item = response.body;
		document.title = `${item.title} – Kommunesøg`;
		fill('title', item.title);
		fill('status', '');
		if (item.sagsnummer)
			KS.crumbs([`Sag ${item.sagsnummer}`, `/sag/${encodeURIComponent(item.sagsnummer)}`], [item.title, location.pathname]);
		else
			KS.crumbs([item.title, location.pathname]);
		if (item.lukket)
			fill('closed', KS.closed('notice'));
		fill('facts', facts(item));
		const sections = item.sections || {};
		const keys = ORDER.filter((key) => key in sections || (key === 'behandling' && item.behandling && item.behandling.length) ||
				(key === 'bilag' && item.bilag && item.bilag.length))
			.concat(Object.keys(sections).filter((key) => !ORDER.includes(key)));
		fill('sections', keys.map((key) => section(item, key, sections[key])));
		/* A PDF served beside the index (--pdf-dir): a link to the page the
		 * item starts on. */
		if (item.source && typeof item.pdf === 'string' && item.pdf.startsWith('/pdf/'))
			fill('source', 'Kilde: ', el('a', { href: item.pdf }, `${item.source}, side ${item.page}`));
		else
			fill('source', item.source ? `Kilde: ${item.source}` : '');
	}

	init();
})();
