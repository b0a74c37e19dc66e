/* sag.js — the case page /sag/{nr}, the address intranet pages link to:
 * every item of the case, oldest first, as a timeline.  The server has
 * already answered an unknown or malformed case number with its own 4xx
 * page; an index rebuilt in between is answered here the same way. */
'use strict';

(() => {
	const { el, fill } = KS;

	/* The opening of the item's text: its resume where it has one. */
	function opening(item) {
		const s = item.sections || {};
		return KS.excerpt(s.resume || s.sagsfremstilling || s.beskrivelse || item.text, 320);
	}

	function entry(item, caseLink) {
		const decision = item.sections && item.sections.beslutning;
		return el('li', { class: item.lukket ? 'event closed' : 'event' },
			el('h2', {}, el('a', { href: item.url }, item.title)),
			item.lukket ? KS.closed('badge') : null,
			KS.metaLine(item, caseLink),
			decision ? el('p', { class: 'decision' }, el('strong', {}, 'Beslutning: '), KS.excerpt(decision, 240)) : null,
			item.lukket ? KS.closed('note') : el('p', { class: 'excerpt' }, opening(item)));
	}

	function notFound(nr, status) {
		const bad = status === 400;
		const title = bad ? 'Ugyldigt sagsnummer' : `Sag ${nr} findes ikke`;
		document.title = `${title} – Kommunesøg`;
		fill('title', title);
		fill('status', '');
		fill('error', el('p', {}, bad
			? 'Et sagsnummer har formen 25-002452 eller 21-046835K.'
			: `Der er intet punkt med sagsnummer ${nr} i søgningens dokumenter.`),
			el('p', {}, el('a', { href: '/' }, 'Til søgningen')));
	}

	async function init() {
		const nr = KS.pathRest('/sag/');
		const response = await KS.getJSON(`/api/sag/${encodeURIComponent(nr)}`);
		if (response.status === 404 || response.status === 400) {
			notFound(nr, response.status);
			return;
		}
		if (!response.ok) {
			fill('status', '');
			fill('error', el('p', {}, KS.errorText(response)));
			return;
		}
		const { sagsnummer, items, cases } = response.body;
		/* The case's subject: the title of its newest item, as the server
		 * names the case in the page's head; a number that several
		 * lettered cases have is no one case. */
		const heading = cases ? `Sag ${sagsnummer}` : `Sag ${sagsnummer}: ${items[items.length - 1].title}`;
		document.title = `${heading} – Kommunesøg`;
		fill('title', heading);
		KS.crumbs([`Sag ${sagsnummer}`, location.pathname]);
		const dates = items.map((item) => item.date).filter(Boolean);
		let status = `${KS.count(items.length, 'punkt', 'punkter')}, ældste først`;
		if (dates.length > 1 && dates[0] !== dates[dates.length - 1])
			status = `${KS.count(items.length, 'punkt', 'punkter')} fra ${KS.danishDate(dates[0])} til ${KS.danishDate(dates[dates.length - 1])}, ældste først`;
		fill('status', status + '.');
		/* A number that only lettered cases have ("21-046835" for
		 * "21-046835K" and "21-046835L"): the items of them all, and the
		 * cases themselves to choose from. */
		fill('cases', cases ? [
			`Sag ${sagsnummer} findes ikke. Punkterne herunder hører til sagerne `,
			...cases.flatMap((nr, i) => [
				i === 0 ? '' : (i === cases.length - 1 ? ' og ' : ', '),
				el('a', { href: `/sag/${encodeURIComponent(nr)}` }, nr)]),
			'.',
		] : []);
		fill('timeline', items.map((item) => entry(item, Boolean(cases))));
		fill('links',
			el('a', { href: `/?q=${encodeURIComponent(sagsnummer)}` }, 'Søg efter sagsnummeret i al tekst'),
			el('span', { 'aria-hidden': 'true' }, ' · '),
			el('a', { href: `/feed?sag=${encodeURIComponent(sagsnummer)}`, type: 'application/atom+xml' }, 'Følg sagen som feed (Atom)'));
	}

	init();
})();
