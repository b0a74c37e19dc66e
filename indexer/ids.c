/* ids.c — the ids of records.  Ids come from the file name
 * ("direktionen-2025-10-06-3"), so they survive a rebuild; one that is
 * taken already is settled here, looked up in a set of strings (--dump) or
 * in the shards of the index. */
#include "kommunesoeg-index.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema.h"
#include "text.h"

/* ---- a set of strings ---------------------------------------------------- */

/* Whether ID is in the set ARG (an idset): an id_taken_fn. */
bool idset_has(const char *id, void *arg)
{
	idset *s = arg;
	if (!s->cap)
		return false;
	for (size_t i = ks_hash64(id, strlen(id)) & (s->cap - 1); s->v[i];
	     i = (i + 1) & (s->cap - 1))
		if (!strcmp(s->v[i], id))
			return true;
	return false;
}

/* Adds a copy of ID to S. */
void idset_add(idset *s, const char *id)
{
	if ((s->n + 1) * 2 > s->cap) {
		idset bigger = { .cap = s->cap ? s->cap * 2 : 256 };
		bigger.v = calloc(bigger.cap, sizeof *bigger.v);
		if (!bigger.v)
			out_of_memory();
		for (size_t i = 0; i < s->cap; i++)
			if (s->v[i])
				idset_add(&bigger, s->v[i]);
		for (size_t i = 0; i < s->cap; i++)
			free(s->v[i]);
		free(s->v);
		*s = bigger;
	}
	size_t i = ks_hash64(id, strlen(id)) & (s->cap - 1);
	while (s->v[i])
		i = (i + 1) & (s->cap - 1);
	s->v[i] = xstrdup(id);
	s->n++;
}

void idset_free(idset *s)
{
	for (size_t i = 0; i < s->cap; i++)
		free(s->v[i]);
	free(s->v);
}

/* ---- ids ----------------------------------------------------------------- */

/* Ids come from the file name ("direktionen-2025-10-06-3"), so they survive
 * a rebuild.  Two files with one name in different folders would share
 * them; the later one gets the hash of its path appended. */
void settle_id(ks_record *r, const char *key, id_taken_fn taken, void *arg)
{
	if (!taken(r->id, arg))
		return;
	for (size_t width = 6; width <= 16; width += 10) {
		size_t len = strlen(r->id) + width + 2;
		char *id = xrealloc_or_die(NULL, len);
		snprintf(id, len, "%s-%.*s", r->id, (int)width, key);
		if (!taken(id, arg) || width == 16) {
			free(r->id);
			r->id = id;
			return;
		}
		free(id);
	}
}

static bool db_has_id(const char *id, void *arg)
{
	bool has = false;
	return ks_db_has_term(arg, KS_FIELD_ID, id, &has) == KS_OK && has;
}

/* Whether the id ID is taken in a shard of ARG (a shards): an id_taken_fn. */
bool shards_have_id(const char *id, void *arg)
{
	const shards *sh = arg;
	for (size_t k = 0; k < sh->n; k++)
		if (db_has_id(id, sh->v[k].db))
			return true;
	return false;
}
