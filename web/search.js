/* search.js — the search page "/".  The address holds the whole state
 * (/?q=…&udvalg=…&page=…): every change of query, filter, sort or page is a
 * new history entry, and the page is drawn from the address alone, so a
 * search can be bookmarked, shared and reached again with the back button. */
'use strict';

(() => {
	const { el, fill } = KS;
	const PER_PAGE = 20; /* asked for; the answer says what it gives (per_page) */
	/* The deepest result the server pages to: KS_MAX_OFFSET of
	 * server/ks-limits.h, which the build writes into the page. */
	const MAX_RESULTS = Number(document.getElementById('pages').dataset.maxOffset);

	/* The parameters of the address that make up a search, in the order
	 * they are written back. */
	const PARAMS = ['q', 'type', 'udvalg', 'year', 'beslutning', 'sag', 'from', 'to', 'lukket',
		'sort', 'page'];

	/* The facets of the response, each the filter parameter it sets. */
	const FACETS = [
		{ name: 'type', title: 'Dokumenttype' },
		{ name: 'udvalg', title: 'Udvalg' },
		{ name: 'year', title: 'År' },
		{ name: 'beslutning', title: 'Beslutning' },
	];
	const TYPE_LABELS = { punkt: 'Dagsordenspunkter', budget: 'Budgetbemærkninger' };

	/* How an active filter reads in the list of chosen filters. */
	function filterLabel(name, value) {
		switch (name) {
		case 'type': return `Type: ${TYPE_LABELS[value] || value}`;
		case 'udvalg': return `Udvalg: ${value}`;
		case 'year': return `År: ${value}`;
		case 'beslutning': return `Beslutning: ${value}`;
		case 'sag': return `Sag: ${value}`;
		case 'from': return `Fra ${KS.danishDate(value)}`;
		case 'to': return `Til ${KS.danishDate(value)}`;
		case 'lukket': return value === 'false' ? 'Uden lukkede punkter' : 'Kun lukkede punkter';
		default: return `${name}: ${value}`;
		}
	}
	const FILTERS = ['type', 'udvalg', 'year', 'beslutning', 'sag', 'from', 'to', 'lukket'];
	/* The filters that may hold several values, any of which matches
	 * (udvalg=a&udvalg=b): the facets'.  Their state is a list. */
	const MANY = new Set(FACETS.map((f) => f.name));

	/* The state of the page: the search parameters of the address. */
	function currentState() {
		const params = new URLSearchParams(location.search);
		const state = {};
		for (const name of PARAMS) {
			const value = MANY.has(name) ? [...new Set(params.getAll(name).filter((v) => v !== ''))]
				: params.get(name);
			if (value !== null && value !== '' && value.length !== 0)
				state[name] = value;
		}
		return state;
	}

	/* A state as an address: "/?q=…&udvalg=…"; the defaults are left out. */
	function stateURL(state, path = '/', extra = {}) {
		const params = new URLSearchParams();
		for (const name of PARAMS) {
			const value = state[name];
			if (value === undefined || value === '' ||
			    (name === 'page' && value === '1') || (name === 'sort' && value === 'relevance'))
				continue;
			for (const one of [value].flat())
				params.append(name, one);
		}
		for (const [name, value] of Object.entries(extra))
			params.set(name, value);
		const query = params.toString();
		return query ? `${path}?${query}` : path;
	}

	/* STATE with CHANGES applied (undefined removes); back to page 1 unless
	 * the change is the page. */
	function changed(state, changes) {
		const next = { ...state };
		if (!('page' in changes))
			delete next.page;
		for (const [name, value] of Object.entries(changes)) {
			if (value === undefined || value === null || value === '' || value.length === 0)
				delete next[name];
			else
				next[name] = Array.isArray(value) ? value : String(value);
		}
		return next;
	}

	/* A link within the search page: a real link (it opens in a new tab,
	 * it can be copied), which for a plain click moves without reloading. */
	function stateLink(state, attrs, ...children) {
		const a = el('a', { ...attrs, href: stateURL(state) }, ...children);
		a.addEventListener('click', (event) => {
			if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey)
				return;
			event.preventDefault();
			go(state, { focusResults: true });
		});
		return a;
	}

	/* Moves to STATE: a new history entry, then the page drawn anew. */
	function go(state, options = {}) {
		const url = stateURL(state);
		if (url !== location.pathname + location.search)
			history.pushState(null, '', url);
		render(options);
	}

	let generation = 0; /* the latest search; an older answer is dropped */

	async function render(options = {}) {
		const state = currentState();
		const mine = ++generation;
		syncForms(state);
		drawFeedLink(state);
		document.title = state.q ? `${state.q} – Søgning – Kommunesøg` : 'Kommunesøg';
		KS.rememberSearch(stateURL(state));

		if (state.from && state.to && state.from > state.to) {
			showError('Fra-datoen ligger efter til-datoen. Ret en af dem.');
			return;
		}
		const results = document.getElementById('results');
		results.setAttribute('aria-busy', 'true');
		/* A facet with values chosen is counted without them too, so that
		 * its other values keep their counts and can be added. */
		const own = FACETS.filter((f) => state[f.name]).map((f) =>
			KS.getJSON(stateURL(changed(state, { [f.name]: undefined }), '/api/search', { per_page: '1' }))
				.then((r) => (r.ok ? [f.name, r.body.facets[f.name]] : null)));
		const [response, ...unfiltered] = await Promise.all([
			KS.getJSON(stateURL(state, '/api/search', { per_page: String(PER_PAGE) })), ...own]);
		if (mine !== generation)
			return;
		for (const counts of unfiltered)
			if (counts && response.ok)
				response.body.facets[counts[0]] = counts[1];
		results.removeAttribute('aria-busy');
		if (!response.ok) {
			showError(KS.errorText(response));
			return;
		}
		fill('error');
		drawResults(state, response.body);
		if (options.focusResults)
			document.getElementById('results-heading').focus();
	}

	function showError(message) {
		fill('error', el('p', {}, message));
		fill('status', '');
		for (const id of ['active', 'notice', 'suggestion', 'results', 'empty', 'pages', 'exports', 'facets'])
			fill(id);
		drawActive(currentState());
	}

	/* The forms show the state of the address. */
	function syncForms(state) {
		document.getElementById('q').value = state.q || '';
		document.getElementById('sort').value = sortUsed(state);
		document.getElementById('from').value = state.from || '';
		document.getElementById('to').value = state.to || '';
		document.getElementById('hide-closed').checked = state.lukket === 'false';
	}

	function drawResults(state, body) {
		const page = Number(state.page || 1);
		fill('status', statusText(state, body));
		drawActive(state);
		/* A case number searched as its lettered cases: the server says which. */
		fill('notice', body.notice || []);
		fill('suggestion', body.suggestion
			? ['Mente du: ', stateLink(changed(state, { q: body.suggestion }), {}, body.suggestion), '?']
			: []);
		const list = fill('results', body.results.map((r) => resultItem(r, state.q)));
		list.start = (page - 1) * body.per_page + 1;
		const pages = pageCount(body.total, body.per_page);
		fill('empty', body.total === 0 ? emptyState(state)
			: page > pages ? pastTheEnd(state, pages) : []);
		drawPages(state, page, body.total, body.per_page);
		drawExports(state, body.total);
		drawFacets(state, body.facets, about(body));
	}

	/* Past the bound of exact counting the total and the facet counts are
	 * the server's estimates: "ca." in front, in the text a screen reader
	 * reads too. */
	function about(body) {
		return body.facets_estimated ? 'ca. ' : '';
	}

	/* How each sort reads in the status line. */
	const SORT_NAMES = {
		relevance: 'bedste match først',
		date_desc: 'nyeste først',
		date_asc: 'ældste først',
		nettobudget_desc: 'største nettobudget først',
		nettobudget_asc: 'mindste nettobudget først',
	};

	/* The sort the server uses for STATE: without words every record
	 * matches equally, and "best match" is the newest first. */
	function sortUsed(state) {
		const sort = SORT_NAMES[state.sort] ? state.sort : 'relevance';
		return sort === 'relevance' && !state.q ? 'date_desc' : sort;
	}

	/* The pages of a result list of TOTAL, PER_PAGE a page. */
	function pageCount(total, perPage) {
		return Math.ceil(Math.min(total, MAX_RESULTS) / perPage);
	}

	function statusText(state, body) {
		const n = body.total;
		const page = Number(state.page || 1);
		const pages = pageCount(n, body.per_page);
		let text = state.q
			? (n ? `${about(body)}${KS.count(n, 'resultat', 'resultater')} for »${state.q}«` : `Ingen resultater for »${state.q}«`)
			: (n ? about(body) + KS.count(n, 'punkt eller budgetafsnit', 'punkter og budgetafsnit') : 'Ingen punkter');
		if (n)
			text += `, ${SORT_NAMES[sortUsed(state)]}`;
		if (page > pages && n)
			return `${text}. Side ${page} findes ikke: der er ${KS.count(pages, 'side', 'sider')}.`;
		if (pages > 1)
			text += `. Side ${page} af ${pages}`;
		return text + '.';
	}

	/* A page past the last: a way back to the last. */
	function pastTheEnd(state, pages) {
		return el('div', { class: 'empty' },
			el('p', {}, stateLink(changed(state, { page: pages }), {}, `Gå til side ${pages}, den sidste`)));
	}

	/* The chosen filters, each with a way to remove it. */
	function drawActive(state) {
		/* [name, value, the state without it]: a chip for each value. */
		const active = FILTERS.filter((name) => state[name]).flatMap((name) => MANY.has(name)
			? state[name].map((v) => [name, v, changed(state, { [name]: state[name].filter((w) => w !== v) })])
			: [[name, state[name], changed(state, { [name]: undefined })]]);
		if (!active.length) {
			fill('active');
			return;
		}
		fill('active', el('h3', { class: 'visually-hidden' }, 'Valgte filtre'),
			el('ul', { class: 'chips' }, active.map(([name, value, without]) => el('li', {},
				stateLink(without,
					{ 'aria-label': `Fjern filteret ${filterLabel(name, value)}` },
					filterLabel(name, value), el('span', { 'aria-hidden': 'true', class: 'x' }, ' ×'))))),
			active.length > 1
				? stateLink(Object.fromEntries(Object.entries(state).filter(([k]) => !FILTERS.includes(k) && k !== 'page')),
					{ class: 'clear' }, 'Fjern alle filtre')
				: null);
	}

	/* A result; its link carries the search Q, whose words the item page
	 * marks. */
	function resultItem(r, q) {
		return el('li', { class: r.lukket ? 'result closed' : 'result' },
			el('h3', {}, el('a', { href: q ? `${r.url}?q=${encodeURIComponent(q)}` : r.url }, r.title)),
			r.lukket ? KS.closed('badge') : null,
			KS.metaLine(r, true),
			r.beslutning ? el('p', { class: 'decision' }, el('strong', {}, 'Beslutning: '), KS.excerpt(r.beslutning, 200)) : null,
			r.nettobudget !== null && r.nettobudget !== undefined
				? el('p', { class: 'decision nettobudget' }, el('strong', {}, 'Nettobudget: '),
					el('span', { class: 'amount' }, KS.kroner(r.nettobudget))) : null,
			r.snippet ? el('p', { class: 'snippet' }, KS.snippetNodes(r.snippet)) : null);
	}

	function emptyState(state) {
		const tips = [
			'Tjek stavningen, eller prøv et andet ord for det samme.',
			'Brug færre ord: alle ord skal findes i et punkt.',
			'Afslut et ord med * for at finde alle ord, der begynder sådan (beredskab*).',
			'Søg på et sagsnummer, for eksempel 25-002452.',
		];
		const hasFilters = FILTERS.some((name) => state[name]);
		return el('div', { class: 'empty' },
			el('h3', {}, 'Ingen punkter passer til søgningen'),
			el('p', {}, 'Prøv at:'),
			el('ul', {}, tips.map((tip) => el('li', {}, tip)),
				hasFilters ? el('li', {}, stateLink(Object.fromEntries(Object.entries(state)
					.filter(([k]) => !FILTERS.includes(k) && k !== 'page')), {}, 'fjerne filtrene')) : null));
	}

	/* Forrige 1 … 4 5 [6] 7 8 … 20 Næste */
	function drawPages(state, page, total, perPage) {
		const pages = Math.ceil(Math.min(total, MAX_RESULTS) / perPage);
		if (pages <= 1) {
			fill('pages');
			return;
		}
		const shown = new Set([1, pages]);
		for (let p = Math.max(1, page - 2); p <= Math.min(pages, page + 2); p++)
			shown.add(p);
		const numbers = [...shown].sort((a, b) => a - b);
		const items = [];
		if (page > 1)
			items.push(el('li', {}, stateLink(changed(state, { page: Math.min(page - 1, pages) }), { rel: 'prev' }, 'Forrige')));
		numbers.forEach((p, i) => {
			if (i && p - numbers[i - 1] > 1)
				items.push(el('li', { class: 'gap', 'aria-hidden': 'true' }, '…'));
			items.push(el('li', {}, p === page
				? el('a', { href: stateURL(changed(state, { page: p })), 'aria-current': 'page', 'aria-label': `Side ${p}, den viste` }, String(p))
				: stateLink(changed(state, { page: p }), { 'aria-label': `Side ${p}` }, String(p))));
		});
		if (page < pages)
			items.push(el('li', {}, stateLink(changed(state, { page: page + 1 }), { rel: 'next' }, 'Næste')));
		fill('pages', el('ul', {}, items));
	}

	/* STATE's feed: all of it but the page and the sort (a feed is always
	 * the newest first). */
	function feedState(state) {
		const feed = { ...state };
		delete feed.page;
		delete feed.sort;
		return feed;
	}

	/* The feed link of the page's head (web/index.html), which browsers and
	 * feed readers find: the static link is every record's feed, for what
	 * runs no script; here it becomes the current search's. */
	function drawFeedLink(state) {
		const link = document.getElementById('feed-link');
		link.href = stateURL(feedState(state), '/feed');
		link.title = state.q ? `Kommunesøg: ${state.q}` : 'Kommunesøg';
	}

	/* The same search as xlsx, CSV, JSON and an Atom feed. */
	function drawExports(state, total) {
		if (!total) {
			fill('exports');
			return;
		}
		const all = changed(state, {});
		delete all.page;
		const feed = feedState(state);
		/* The server names the file after the search: download without a name of its own. */
		fill('exports', 'Hent resultaterne: ',
			el('a', { href: stateURL(all, '/api/search', { format: 'xlsx' }), download: '' }, 'Excel (xlsx)'),
			el('span', { 'aria-hidden': 'true' }, ' · '),
			el('a', { href: stateURL(all, '/api/search', { format: 'csv' }), download: '' }, 'CSV (regneark)'),
			el('span', { 'aria-hidden': 'true' }, ' · '),
			el('a', { href: stateURL(all, '/api/search', { per_page: '100' }), type: 'application/json' }, 'JSON'),
			el('span', { 'aria-hidden': 'true' }, ' · '),
			el('a', { href: stateURL(feed, '/feed'), type: 'application/atom+xml' }, 'Abonnér som feed (Atom)'));
	}

	/* A facet shows its first FACET_TOP values (the most frequent; the
	 * newest years) and a disclosure button for the rest; a chosen value is
	 * shown even beyond them.  Which facets are open is kept while the page
	 * is, so that choosing a value does not fold the list it was found in. */
	const FACET_TOP = 8;
	const expanded = new Set();

	/* CA: about()'s word, before each count. */
	function drawFacets(state, facets, ca) {
		const groups = [];
		for (const facet of FACETS) {
			let values = Object.entries(facets[facet.name] || {});
			if (facet.name === 'year')
				values.sort((a, b) => b[0].localeCompare(a[0]));
			const chosen = (state[facet.name] || []).map((v) => v.toLowerCase());
			for (const value of state[facet.name] || [])
				if (!values.some(([v]) => v.toLowerCase() === value.toLowerCase()))
					values.push([value, 0]);
			if (!values.length)
				continue;
			const headingId = `facet-${facet.name}`;
			const listId = `facet-${facet.name}-values`;
			const open = expanded.has(facet.name);
			let folded = 0;
			const items = values.map(([value, n], i) => {
				const selected = chosen.includes(value.toLowerCase());
				/* A value is added to those chosen, or taken out of them. */
				const others = (state[facet.name] || []).filter((v) => v.toLowerCase() !== value.toLowerCase());
				const label = facet.name === 'type' ? (TYPE_LABELS[value] || value) : value;
				const extra = i >= FACET_TOP && !selected;
				if (extra)
					folded++;
				return el('li', { 'data-extra': extra || null, hidden: extra && !open },
					stateLink(changed(state, { [facet.name]: selected ? others : [...others, value] }),
						{ 'aria-current': selected ? 'true' : null,
						  'aria-label': `${label}, ${ca}${KS.count(n, 'resultat', 'resultater')}${selected ? ', valgt: fjern filteret' : others.length ? ': tilføj' : ''}` },
						el('span', { class: 'value' }, label), ' ', el('span', { class: 'n' }, ca + n.toLocaleString('da-DK'))));
			});
			const list = el('ul', { id: listId }, items);
			groups.push(el('section', { class: 'facet', 'aria-labelledby': headingId },
				el('h3', { id: headingId }, facet.title), list,
				folded ? moreButton(facet.name, list, folded) : null));
		}
		fill('facets', groups);
	}

	/* "Vis flere (N)" / "Vis færre": a disclosure button (WAI-ARIA) that
	 * shows or hides the FOLDED values of LIST, the facet NAME's. */
	function moreButton(name, list, folded) {
		const button = el('button', { type: 'button', class: 'more', 'aria-controls': list.id });
		const show = (open) => {
			for (const li of list.querySelectorAll('li[data-extra]'))
				li.hidden = !open;
			button.setAttribute('aria-expanded', String(open));
			button.textContent = open ? 'Vis færre' : `Vis flere (${folded.toLocaleString('da-DK')})`;
			if (open)
				expanded.add(name);
			else
				expanded.delete(name);
		};
		button.addEventListener('click', () => show(button.getAttribute('aria-expanded') !== 'true'));
		show(expanded.has(name));
		return button;
	}

	function init() {
		document.getElementById('search-form').addEventListener('submit', (event) => {
			event.preventDefault();
			go(changed(currentState(), { q: document.getElementById('q').value.trim() }));
		});
		const filterForm = document.getElementById('filter-form');
		filterForm.addEventListener('submit', (event) => {
			event.preventDefault();
			go(changed(currentState(), {
				from: document.getElementById('from').value,
				to: document.getElementById('to').value,
			}));
		});
		document.getElementById('sort').addEventListener('change', (event) => {
			go(changed(currentState(), { sort: event.target.value }));
		});
		document.getElementById('hide-closed').addEventListener('change', (event) => {
			go(changed(currentState(), { lukket: event.target.checked ? 'false' : undefined }));
		});
		window.addEventListener('popstate', () => render());
		/* On a phone the filters come before the results, folded, so that
		 * the results are seen first and the reading order stays the
		 * order on screen. */
		if (window.matchMedia('(max-width: 59.99rem)').matches)
			document.getElementById('filters-details').open = false;
		render();
	}

	init();
})();
