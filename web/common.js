/* common.js — what the three pages share: building elements as text (never
 * as HTML), the server's snippets, Danish dates and amounts, an item's meta
 * line and a closed item's wording, the API.
 *
 * Every string from a document or a user goes into the page through
 * createTextNode or textContent.  The one exception is the server's snippet,
 * and even that is not parsed as HTML: it is split at its <mark> tags and
 * its entities are decoded into text nodes (see snippetNodes). */
'use strict';

const KS = (() => {
	/* el('a', {href: '/'}, 'tekst', child, ...): an element with attributes
	 * and children; a string child becomes a text node.  Attributes whose
	 * value is null or false are left out. */
	function el(tag, attrs, ...children) {
		const node = document.createElement(tag);
		for (const [name, value] of Object.entries(attrs || {})) {
			if (value === null || value === undefined || value === false)
				continue;
			node.setAttribute(name, value === true ? '' : String(value));
		}
		for (const child of children.flat()) {
			if (child === null || child === undefined || child === false)
				continue;
			node.append(child instanceof Node ? child : document.createTextNode(String(child)));
		}
		return node;
	}

	const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'" };

	function decodeEntities(s) {
		return s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name) => {
			if (name in ENTITIES)
				return ENTITIES[name];
			const code = name[0] !== '#' ? NaN
				: name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16)
				: parseInt(name.slice(1), 10);
			return Number.isInteger(code) && code > 0 && code <= 0x10ffff
				? String.fromCodePoint(code) : whole;
		});
	}

	/* The server's snippet ("…<mark>budget</mark> for 2025…", HTML-escaped)
	 * as nodes: text, and <mark> elements holding text.  Any other markup
	 * would stay visible as text. */
	function snippetNodes(snippet) {
		const nodes = [];
		let marked = false;
		for (const part of String(snippet).split(/(<mark>|<\/mark>)/)) {
			if (part === '<mark>')
				marked = true;
			else if (part === '</mark>')
				marked = false;
			else if (part)
				nodes.push(marked ? el('mark', {}, decodeEntities(part))
					: document.createTextNode(decodeEntities(part)));
		}
		return nodes;
	}

	const MONTHS = ['januar', 'februar', 'marts', 'april', 'maj', 'juni', 'juli', 'august',
		'september', 'oktober', 'november', 'december'];

	/* "2025-10-06" → "6. oktober 2025"; anything else as it is. */
	function danishDate(iso) {
		const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || '');
		if (!m)
			return iso || '';
		return `${Number(m[3])}. ${MONTHS[Number(m[2]) - 1]} ${m[1]}`;
	}

	/* A <time> element showing the Danish date. */
	function dateElement(iso) {
		return el('time', { datetime: iso }, danishDate(iso));
	}

	/* 50190100 → "50.190.100 kr." (Danish thousands separator). */
	function kroner(amount) {
		const sign = amount < 0 ? '-' : '';
		const digits = String(Math.abs(Math.trunc(amount)));
		return sign + digits.replace(/\B(?=(\d{3})+(?!\d))/g, '.') + ' kr.';
	}

	/* The line under an item's title in a list (the search results, a
	 * case's timeline): "Budgetbemærkninger" for a budget section, the
	 * meeting ("Møde i Direktionen", linked to the meeting's page when the
	 * item names it; a budget section's committee), the
	 * date, the meeting's time, "Punkt N" and, with CASE_LINK, the case
	 * number as a link to its page; between them a dot that a screen
	 * reader skips. */
	function metaLine(item, caseLink) {
		const budget = item.type === 'budget';
		const sag = item.sagsnummer;
		const parts = [
			budget ? 'Budgetbemærkninger' : null,
			item.udvalg ? (budget ? item.udvalg
				: item.moede ? el('a', { href: item.moede }, `Møde i ${item.udvalg}`) : `Møde i ${item.udvalg}`) : null,
			item.date ? dateElement(item.date) : null,
			item.meeting && item.meeting.time ? `kl. ${item.meeting.time}` : null,
			item.punkt !== null && item.type === 'punkt' ? `Punkt ${item.punkt}` : null,
			caseLink && sag ? el('span', {}, 'Sag ', el('a', { href: `/sag/${encodeURIComponent(sag)}` }, sag)) : null,
		].filter((part) => part !== null);
		return el('p', { class: 'meta' }, parts.flatMap((part, i) =>
			(i ? [el('span', { class: 'sep', 'aria-hidden': 'true' }, ' · '), part] : [part])));
	}

	/* What a closed item shows in place of what it may not show, in one
	 * wording: FORM 'badge', the mark under its title in a list; 'note',
	 * why a list shows none of its text; 'notice', the item page's account
	 * of why, and of what is shown. */
	function closed(form) {
		const why = 'Punktet er behandlet for lukkede døre';
		if (form === 'badge')
			return el('p', { class: 'badge' }, 'Lukket punkt');
		if (form === 'note')
			return el('p', { class: 'note' }, `${why}, og dets indhold offentliggøres ikke.`);
		return el('div', { class: 'notice' },
			el('p', {}, el('strong', {}, 'Lukket punkt. '),
				`${why}, fordi det indeholder fortrolige oplysninger, ` +
				'for eksempel om enkeltpersoner, forhandlinger eller kontrakter. ' +
				'Derfor vises kun det, som referatet offentliggør: punktets titel, nummer og sagsnummer og mødet, ' +
				'hvor det blev behandlet.'));
	}

	/* "1 resultat", "2 resultater": N with the singular or plural noun. */
	function count(n, singular, plural) {
		return `${n.toLocaleString('da-DK')} ${n === 1 ? singular : plural}`;
	}

	/* GET PATH as JSON: {ok, status, body}.  A network failure or a body
	 * that is not JSON gives ok false and status 0. */
	async function getJSON(path) {
		try {
			const response = await fetch(path, { headers: { Accept: 'application/json' } });
			const body = await response.json();
			return { ok: response.ok, status: response.status, body };
		} catch (e) {
			return { ok: false, status: 0, body: null };
		}
	}

	/* What an API error says to a person: its Danish sentence ("besked",
	 * docs/api.rst), never the English message meant for developers. */
	function errorText(result) {
		if (result.status === 0 || result.status >= 500)
			return 'Søgningen kan ikke svare lige nu. Prøv igen om lidt.';
		const besked = result.body && result.body.error && result.body.error.besked;
		return besked ? `Forespørgslen kunne ikke besvares: ${besked}` : 'Forespørgslen kunne ikke besvares.';
	}

	/* The last path segment after PREFIX ("/sag/25-002452" → "25-002452"). */
	function pathRest(prefix) {
		const path = location.pathname;
		if (!path.startsWith(prefix))
			return '';
		try {
			return decodeURIComponent(path.slice(prefix.length));
		} catch (e) {
			return '';
		}
	}

	/* The first sentences of TEXT up to about MAX characters, cut at a word. */
	function excerpt(text, max) {
		const flat = String(text || '').replace(/\s+/g, ' ').trim();
		if (flat.length <= max)
			return flat;
		const cut = flat.slice(0, max);
		const sentence = cut.lastIndexOf('. ');
		if (sentence > max / 2)
			return cut.slice(0, sentence + 1);
		const space = cut.lastIndexOf(' ');
		return (space > max / 2 ? cut.slice(0, space) : cut) + ' …';
	}

	const SECTION_TITLES = {
		beslutning: 'Beslutning',
		resume: 'Resume og sagens baggrund',
		indstillinger: 'Indstillinger',
		sagsfremstilling: 'Sagsfremstilling',
		oekonomi: 'Økonomiske konsekvenser',
		behandling: 'Behandling',
		bilag: 'Bilag',
		budgetgrundlag: 'Budgetgrundlag',
		beskrivelse: 'Beskrivelse af området',
		udvikling: 'Udvikling og udfordringer',
	};

	/* The text of a section ("paragraph\n\nparagraph", "- list item" lines,
	 * "1. numbered" lines, tab-separated table rows, a short first line as a
	 * sub-heading) as block elements.  HEADING is the tag for sub-headings. */
	function sectionBlocks(text, heading) {
		const blocks = [];
		const paragraphs = String(text || '').split(/\n{2,}/).filter((block) => block.trim());
		paragraphs.forEach((block, index) => {
			let lines = block.split('\n').filter((line) => line.trim());
			/* A short line without a full stop that is followed by text,
			 * in its own paragraph or not, is a sub-heading
			 * ("Serviceudgifter", "Forebyggelse").  Read without the
			 * item page's marks (markedText). */
			const first = unmarked(lines[0]);
			const followed = lines.length > 1 || index + 1 < paragraphs.length;
			if (followed && first.length <= 80 && !/[.:,;!?]$/.test(first) &&
			    !/^\s*(- |\d+\. )/.test(first) && !first.includes('\t')) {
				blocks.push(el(heading, { class: 'subheading' }, lines[0]));
				lines = lines.slice(1);
			}
			if (!lines.length)
				return;
			if (lines.every((line) => /^\s*- /.test(line)))
				blocks.push(list(lines));
			else if (lines.every((line) => /^\d+\. /.test(line)))
				blocks.push(el('ol', {}, lines.map((line) => el('li', {}, line.replace(/^\d+\. /, '')))));
			else if (lines.length > 1 && lines.every((line) => line.includes('\t')))
				blocks.push(table(lines));
			else
				blocks.push(el('p', {}, lines.flatMap((line, i) => (i ? [el('br'), line] : [line]))));
		});
		return blocks;
	}

	/* The item page marks the words of a search in a text that goes
	 * through sectionBlocks: the server's marked text (HTML-escaped,
	 * <mark>…</mark>) becomes the text with each mark's start and end as a
	 * character that no document holds (a private-use one; the document's
	 * own are dropped), which the splitting into blocks keeps in place;
	 * markNodes then makes <mark> elements of them. */
	const MARK_START = '\uE000', MARK_END = '\uE001';
	const MARK_CHARS = /[\uE000\uE001]/g;
	const HAS_MARK = /[\uE000\uE001]/;

	function unmarked(s) {
		return String(s).replace(MARK_CHARS, '');
	}

	function markedText(marked) {
		return String(marked).split(/(<mark>|<\/mark>)/).map((part) =>
			(part === '<mark>' ? MARK_START : part === '</mark>' ? MARK_END : unmarked(decodeEntities(part)))).join('');
	}

	/* Every text node below ROOT with the characters of markedText as
	 * <mark> elements; a mark that spans two text nodes (a line break) is
	 * one in each.  Returns the marks, in document order. */
	function markNodes(root) {
		const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
		const nodes = [];
		while (walker.nextNode())
			nodes.push(walker.currentNode);
		let open = false;
		for (const node of nodes) {
			if (!open && !HAS_MARK.test(node.data))
				continue;
			const parts = [];
			for (const part of node.data.split(/([\uE000\uE001])/)) {
				if (part === MARK_START)
					open = true;
				else if (part === MARK_END)
					open = false;
				else if (part)
					parts.push(open ? el('mark', {}, part) : document.createTextNode(part));
			}
			node.replaceWith(...parts);
		}
		return [...root.querySelectorAll('mark')];
	}

	/* "- item" lines, "  - sub-item" lines nested under the item before. */
	function list(lines) {
		const ul = el('ul');
		let last = null;
		for (const line of lines) {
			const nested = /^\s+- /.test(line);
			const item = el('li', {}, line.replace(/^\s*- /, ''));
			if (nested && last) {
				let sub = last.querySelector('ul');
				if (!sub)
					last.append(sub = el('ul'));
				sub.append(item);
			} else {
				ul.append(item);
				last = item;
			}
		}
		return ul;
	}

	/* Tab-separated rows: the first is the header row. */
	function table(lines) {
		const rows = lines.map((line) => line.split('\t'));
		return el('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': 'Tabel' },
			el('table', {},
				el('thead', {}, el('tr', {}, rows[0].map((cell) => el('th', { scope: 'col' }, cell)))),
				el('tbody', {}, rows.slice(1).map((row) => el('tr', {}, row.map((cell, i) =>
					i ? el('td', {}, cell) : el('th', { scope: 'row' }, cell)))))));
	}

	/* Replaces the children of the element with id ID. */
	function fill(id, ...children) {
		const node = document.getElementById(id);
		node.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false)
			.map((c) => (c instanceof Node ? c : document.createTextNode(String(c)))));
		return node;
	}

	/* Remembers the search page's address, so that the other pages can lead
	 * back to the same results. */
	const LAST_SEARCH = 'kommunesoeg-last-search';
	function rememberSearch(url) {
		try {
			sessionStorage.setItem(LAST_SEARCH, url);
		} catch (e) { /* private mode: no way back but the start page */ }
	}
	function lastSearch() {
		try {
			const url = sessionStorage.getItem(LAST_SEARCH);
			return url && url.startsWith('/?') ? url : null;
		} catch (e) {
			return null;
		}
	}

	/* The breadcrumb trail: the search (the last results, when there were
	 * some in this tab), then ENTRIES ([text, href]), the last being this
	 * page. */
	function crumbs(...entries) {
		const search = lastSearch();
		const items = [el('li', {}, el('a', { href: search || '/' }, search ? 'Søgeresultater' : 'Søgning'))];
		entries.forEach(([text, href], i) => items.push(el('li', {}, i === entries.length - 1
			? el('a', { href, 'aria-current': 'page' }, text) : el('a', { href }, text))));
		fill('crumbs', items);
	}

	return {
		el, snippetNodes, markedText, markNodes, danishDate, dateElement, metaLine, closed, kroner, count, getJSON,
		errorText, pathRest, excerpt, SECTION_TITLES, sectionBlocks, fill, rememberSearch, crumbs,
	};
})();
