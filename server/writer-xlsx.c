/* writer-xlsx.c — every hit as a row of an Excel workbook (format=xlsx),
 * written by libxlsxwriter: the RESULT fields without the snippet, as CSV
 * has them, but typed: the date a date (Excel's short date, which a
 * Danish Excel shows as 17-11-2025), year, punkt and nettobudget numbers
 * (nettobudget with thousands separators), lukket a boolean, the url a
 * hyperlink; a bold header row that stays in view (a frozen pane) with a
 * filter on it.  A cell holds text as text: nothing a document says can
 * become a formula, so no cell needs the CSV's apostrophe.
 *
 * The workbook is written into the export's temporary file (by its
 * /proc/self/fd name: the file never has a name of its own), in
 * libxlsxwriter's constant-memory mode: each row goes to a temporary file
 * of libxlsxwriter's own as it is written, so the rows' text is not held.
 * Its hyperlinks are (libxlsxwriter writes them after the rows), a few kB
 * each, which the export's cap of rows bounds. */
#include "writer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "ks-limits.h"

typedef struct {
	lxw_workbook *book;
	lxw_worksheet *sheet;
	lxw_format *bold, *date, *amount;
	lxw_row_t row; /* the next row to write */
	lxw_col_t cols;
	bool failed;
} xlsx_state;

/* The column widths, in characters, of the fields that need more than
 * Excel's default. */
static double width(const char *field)
{
	static const struct {
		const char *name;
		double chars;
	} widths[] = {
		{ "id", 32 },     { "title", 60 },      { "sagsnummer", 12 },  { "date", 11 },
		{ "udvalg", 24 }, { "beslutning", 40 }, { "nettobudget", 14 }, { "url", 50 },
	};
	for (size_t i = 0; i < sizeof widths / sizeof *widths; i++)
		if (!strcmp(widths[i].name, field))
			return widths[i].chars;
	return LXW_DEF_COL_WIDTH;
}

static bool skip(const char *field)
{
	return !strcmp(field, "snippet");
}

static void check(xlsx_state *w, lxw_error err)
{
	if (err != LXW_NO_ERROR)
		w->failed = true;
}

/* S cut to KS_XLSX_CELL_CHARS characters (Excel's limit of a cell), with
 * "…" at the end of a cut; into BUF (freed by the caller) when cut. */
static const char *cell_text(const char *s, char **buf)
{
	size_t chars = 0, i = 0, last = 0;
	for (; s[i]; i++) {
		if (((unsigned char)s[i] & 0xc0) == 0x80)
			continue;
		if (chars == KS_XLSX_CELL_CHARS)
			break; /* one character too many */
		if (chars == KS_XLSX_CELL_CHARS - 1)
			last = i; /* the last that fits, which gives way to "…" */
		chars++;
	}
	if (!s[i])
		return s;
	*buf = malloc(last + sizeof "…");
	if (!*buf)
		return NULL;
	memcpy(*buf, s, last);
	memcpy(*buf + last, "…", sizeof "…");
	return *buf;
}

static void *xlsx_begin(ks_sb *out, const ks_listing *l)
{
	(void)out;
	if (!l->file)
		return NULL;
	xlsx_state *w = calloc(1, sizeof *w);
	if (!w)
		return NULL;
	lxw_workbook_options options = { .constant_memory = LXW_TRUE, .tmpdir = getenv("TMPDIR") };
	if (options.tmpdir && !*options.tmpdir)
		options.tmpdir = NULL;
	w->book = workbook_new_opt(l->file, &options);
	w->sheet = w->book ? workbook_add_worksheet(w->book, "Kommunesøg") : NULL;
	if (!w->sheet) {
		if (w->book)
			workbook_close(w->book);
		free(w);
		return NULL;
	}
	w->bold = workbook_add_format(w->book);
	w->date = workbook_add_format(w->book);
	w->amount = workbook_add_format(w->book);
	format_set_bold(w->bold);
	format_set_num_format_index(w->date, 14);  /* the short date of the reader's region */
	format_set_num_format_index(w->amount, 3); /* #,##0 */
	for (size_t i = 0; i < KS_RESULT_FIELDS; i++) {
		const char *name = ks_result_fields[i];
		if (skip(name))
			continue;
		/* Before the first row: constant-memory mode writes rows as they
		 * come. */
		check(w, worksheet_set_column(w->sheet, w->cols, w->cols, width(name), NULL));
		check(w, worksheet_write_string(w->sheet, 0, w->cols, name, w->bold));
		w->cols++;
	}
	worksheet_freeze_panes(w->sheet, 1, 0);
	w->row = 1;
	return w;
}

/* VALUE of FIELD into the cell of row W->row, column COL. */
static void put_cell(xlsx_state *w, const ks_listing *l, lxw_col_t col, const char *field,
		     const cJSON *value)
{
	lxw_worksheet *s = w->sheet;
	lxw_row_t row = w->row;
	int y, m, d;
	if (cJSON_IsNumber(value)) {
		check(w, worksheet_write_number(s, row, col, value->valuedouble,
						!strcmp(field, "nettobudget") ? w->amount : NULL));
	} else if (cJSON_IsBool(value)) {
		check(w, worksheet_write_boolean(s, row, col, cJSON_IsTrue(value), NULL));
	} else if (!cJSON_IsString(value)) {
		return; /* null: an empty cell */
	} else if (!strcmp(field, "date") &&
		   sscanf(value->valuestring, "%4d-%2d-%2d", &y, &m, &d) == 3) {
		lxw_datetime date = { .year = y, .month = m, .day = d };
		check(w, worksheet_write_datetime(s, row, col, &date, w->date));
	} else if (!strcmp(field, "url") && value->valuestring[0] == '/') {
		ks_sb link = { 0 };
		ks_sb_puts(&link, l->base);
		ks_sb_puts(&link, value->valuestring);
		if (link.oom)
			w->failed = true;
		else
			check(w, worksheet_write_url(s, row, col, link.s, NULL));
		ks_sb_free(&link);
	} else {
		char *buf = NULL;
		const char *text = cell_text(value->valuestring, &buf);
		if (!text)
			w->failed = true;
		else
			check(w, worksheet_write_string(s, row, col, text, NULL));
		free(buf);
	}
}

static bool xlsx_hit(void *state, ks_sb *out, const ks_listing *l, const cJSON *record,
		     const char *snippet)
{
	(void)out, (void)snippet;
	xlsx_state *w = state;
	lxw_col_t col = 0;
	for (size_t i = 0; i < KS_RESULT_FIELDS && !w->failed; i++) {
		const char *name = ks_result_fields[i];
		if (skip(name))
			continue;
		put_cell(w, l, col++, name, cJSON_GetObjectItemCaseSensitive(record, name));
	}
	w->row++;
	return !w->failed;
}

/* The filter over the header and the rows, the note of an export cut at
 * its cap in the row after them, and the workbook written whole. */
static bool xlsx_end(void *state, ks_sb *out, const ks_listing *l)
{
	(void)out;
	xlsx_state *w = state;
	if (!w->failed)
		check(w, worksheet_autofilter(w->sheet, 0, 0, w->row - 1, w->cols - 1));
	ks_sb note = { 0 };
	ks_export_cap_note(l, w->row - 1, &note);
	if (note.oom)
		w->failed = true;
	else if (note.n && !w->failed)
		check(w, worksheet_write_string(w->sheet, w->row, 0, note.s, w->bold));
	ks_sb_free(&note);
	check(w, workbook_close(w->book)); /* frees the workbook, whatever happened */
	bool ok = !w->failed;
	free(w);
	return ok;
}

const ks_writer_class ks_writer_xlsx = {
	.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	.begin = xlsx_begin,
	.hit = xlsx_hit,
	.end = xlsx_end,
};
