/* suggest.js — the search box as a combobox with a list of completions
 * (WAI-ARIA Authoring Practices, "list autocomplete with manual
 * selection"): typing asks /api/suggest after a pause; ArrowDown and
 * ArrowUp move through the list while the focus stays in the box
 * (aria-activedescendant); Enter or a click searches the suggestion chosen,
 * Enter without one what was typed; Escape closes the list.  An empty box
 * asks for nothing. */
'use strict';

(() => {
	/* The pause in typing before the completions are asked for: one
	 * request a word, not one a key. */
	const DELAY_MS = 150;
	const box = document.getElementById('q');
	const list = document.getElementById('q-suggestions');
	const form = document.getElementById('search-form');
	let timer = 0;
	let asked = 0; /* the latest request; an older answer is dropped */
	let active = -1;

	const options = () => [...list.children];

	function setActive(i) {
		active = i;
		options().forEach((o, j) => o.setAttribute('aria-selected', String(j === i)));
		if (i < 0) {
			box.removeAttribute('aria-activedescendant');
			return;
		}
		box.setAttribute('aria-activedescendant', options()[i].id);
		options()[i].scrollIntoView({ block: 'nearest' });
	}

	function close() {
		clearTimeout(timer);
		asked++;
		list.hidden = true;
		list.replaceChildren();
		box.setAttribute('aria-expanded', 'false');
		setActive(-1);
	}

	function show(q, suggestions) {
		list.replaceChildren(...suggestions.map((s, i) =>
			KS.el('li', { id: `q-option-${i}`, role: 'option', 'aria-selected': 'false' }, s)));
		list.dataset.q = q;
		setActive(-1);
		list.hidden = !suggestions.length;
		box.setAttribute('aria-expanded', String(suggestions.length > 0));
	}

	async function ask() {
		const q = box.value;
		const mine = ++asked;
		if (!q.trim()) {
			close();
			return;
		}
		const response = await KS.getJSON(`/api/suggest?q=${encodeURIComponent(q)}`);
		if (mine !== asked || box.value !== q || document.activeElement !== box)
			return;
		if (response.ok)
			show(q, response.body.suggestions);
		else
			close();
	}

	/* Searches TEXT, as the search form does. */
	function pick(text) {
		box.value = text;
		close();
		form.requestSubmit();
	}

	box.addEventListener('input', () => {
		clearTimeout(timer);
		if (!box.value.trim())
			close();
		else
			timer = setTimeout(ask, DELAY_MS);
	});
	box.addEventListener('keydown', (event) => {
		const n = options().length;
		if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
			if (list.hidden) {
				if (event.key === 'ArrowDown' && box.value.trim()) {
					event.preventDefault();
					ask();
				}
				return;
			}
			event.preventDefault();
			const down = event.key === 'ArrowDown';
			setActive(down ? (active + 1) % n : (active <= 0 ? n - 1 : active - 1));
		} else if (event.key === 'Enter') {
			if (!list.hidden && active >= 0) {
				event.preventDefault();
				pick(options()[active].textContent);
			} else {
				close(); /* the form searches what was typed */
			}
		} else if (event.key === 'Escape' && !list.hidden) {
			event.preventDefault(); /* a search box would empty itself */
			close();
		}
	});
	/* A press on the list keeps the focus in the box, so that the click
	 * that follows still finds the list. */
	list.addEventListener('mousedown', (event) => event.preventDefault());
	list.addEventListener('click', (event) => {
		const option = event.target.closest('[role="option"]');
		if (option)
			pick(option.textContent);
	});
	box.addEventListener('blur', close);
	form.addEventListener('submit', close);
})();
