/* item.js — the item page /item/{id}: a whole agenda item or budget
 * section, its sections as headings, the meeting it was treated at, the
 * items before and after it there, its original document, and the way on
 * to its case.  With ?q= (a search's result links carry it) the words the
 * search matched are marked, as the server's Xapian snippets mark them, and
 * a link leads to the first.  A closed item shows what may be shown and
 * says why. */
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
			rows.push(fact(item.type === 'budget' ? 'Udvalg' : 'Møde',
				item.moede ? el('a', { href: item.moede }, item.udvalg,
					el('span', { class: 'aside' }, ' – hele dagsordenen')) : item.udvalg));
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

	/* One section: a heading and its text; Behandling and Bilag as lists.
	 * MARKS, the server's marks of the search, or null. */
	function section(item, key, text, marks) {
		let list = key === 'behandling' ? item.behandling : key === 'bilag' ? item.bilag : null;
		if (marks && list)
			list = (marks[key] || list).map(KS.markedText);
		else if (marks && marks.sections && key in marks.sections)
			text = KS.markedText(marks.sections[key]);
		const id = `afsnit-${key}`;
		return el('section', { class: `section section-${key}`, 'aria-labelledby': id },
			el('h2', { id }, KS.SECTION_TITLES[key] || key),
			list && list.length ? el('ul', {}, list.map((entry) => el('li', {}, entry)))
				: KS.sectionBlocks(text, 'h3'));
	}

	/* The marks in the page, numbered, and the way to the first:
	 * "3 fund for »hjemløshed«. Gå til første fund". */
	function finds(q, marks) {
		marks.forEach((mark, i) => mark.setAttribute('id', `fund-${i + 1}`));
		if (!marks.length)
			return [];
		const first = marks[0];
		first.setAttribute('tabindex', '-1');
		const jump = el('a', { href: '#fund-1' }, 'Gå til første fund');
		/* The browser scrolls to the mark; focus goes there too, so
		 * that reading and tabbing go on from it. */
		jump.addEventListener('click', () => first.focus());
		return [`${KS.count(marks.length, 'fund', 'fund')} for »${q}«. `, jump];
	}

	/* The items before and after this one at its meeting, and the meeting's
	 * whole agenda; Q carried on, so that their marks go on too. */
	function neighbours(item, q) {
		if (!item.moede)
			return [];
		const href = (url) => (q ? `${url}?q=${encodeURIComponent(q)}` : url);
		const link = (other, rel, word) => el('li', { class: rel }, el('a', { href: href(other.url), rel },
			el('span', { class: 'aside' }, `${word}: Punkt ${other.punkt}`), el('br'), other.title));
		return el('nav', { class: 'neighbours', 'aria-label': 'Mødets punkter' }, el('ul', {},
			item.previous ? link(item.previous, 'prev', 'Forrige') : null,
			el('li', { class: 'agenda' }, el('a', { href: item.moede }, 'Hele dagsordenen')),
			item.next ? link(item.next, 'next', 'Næste') : null));
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
		const q = new URLSearchParams(location.search).get('q') || '';
		const response = await KS.getJSON(`/api/item/${encodeURIComponent(id)}` +
			(q ? `?q=${encodeURIComponent(q)}` : ''));
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
		const marks = item.marks || null;
		document.title = `${item.title} – Kommunesøg`;
		fill('title', marks ? KS.markedText(marks.title) : item.title);
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
		fill('sections', keys.map((key) => section(item, key, sections[key], marks)));
		/* The way leads to the first mark of the text, not of the title
		 * just above it. */
		if (marks) {
			KS.markNodes(document.getElementById('item'));
			fill('finds', finds(q, [...document.querySelectorAll('#sections mark')]));
		}
		/* A PDF served beside the index (--pdf-dir): a link to the page the
		 * item starts on. */
		if (item.source && typeof item.pdf === 'string' && item.pdf.startsWith('/pdf/'))
			fill('source', 'Kilde: ', el('a', { href: item.pdf }, `${item.source}, side ${item.page}`));
		else
			fill('source', item.source ? `Kilde: ${item.source}` : '');
		/* The original document, where the server knows its address
		 * (--source-url). */
		if (item.source && typeof item.source_url === 'string' && /^(https?:\/\/|\/)/.test(item.source_url))
			document.getElementById('source').append(el('br'), 'Originaldokument: ',
				el('a', { href: item.source_url }, item.source));
		fill('neighbours', neighbours(item, q));
	}

	init();
})();
