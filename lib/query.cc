// query.cc — the query language (kommunesoeg-query(7)) as a Xapian query: parsing
// (a malformed query read as plain words, the spelling correction), case
// numbers, the filters of a search and its orders.

#include "ks-xapian-private.h"
#include "query-cost.h"
#include "validate.h"

#include <cstring>

// The query language (docs/man/kommunesoeg-query.7.rst): phrases, AND/OR/NOT, -word, word*, field
// prefixes, a query of only NOT terms, and the synonyms of the database
// (words and groups of words: "KL", "Kommunernes Landsforening").
// FLAG_SPELLING_CORRECTION is added by parse() only when a suggestion is
// asked for.
#define KS_QUERY_FLAGS                                                                             \
	(Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_PHRASE |                    \
	 Xapian::QueryParser::FLAG_BOOLEAN | Xapian::QueryParser::FLAG_LOVEHATE |                  \
	 Xapian::QueryParser::FLAG_WILDCARD | Xapian::QueryParser::FLAG_PURE_NOT |                 \
	 Xapian::QueryParser::FLAG_AUTO_MULTIWORD_SYNONYMS)

// WORD with its first letter in capitals.
static std::string capitalised(const std::string &word)
{
	Xapian::Utf8Iterator u(word);
	if (u == Xapian::Utf8Iterator())
		return word;
	std::string out;
	Xapian::Unicode::append_utf8(out, Xapian::Unicode::toupper(*u));
	++u;
	return out + word.substr(u.raw() - word.data());
}

// Whether WORD is no misspelling: the index has it, another form of it
// ("beredskabsplanerne", found through the stem of "beredskabsplaner"), or
// its other spelling ("hjemloeshed" for "hjemløshed").
static bool known_word(ks_db *db, const std::string &word)
{
	const std::string lower = Xapian::Unicode::tolower(word);
	Xapian::Database &r = db->reader();
	return r.term_exists(lower) || r.term_exists("Z" + db->stem(lower)) ||
	       !other_spelling_known(db, lower).empty();
}

// The spelling correction of TYPED, given TEXT, what the QueryParser was
// given of it (lowered_query()), and Xapian's CORRECTED form of TEXT.
// Xapian 1.4's QueryParser also "corrects" words that are in the index
// ("hjemløshed" into "hjemløse": get_spelling_suggestion() never offers the
// word itself) or found through their stem, so those are put back as typed;
// "" when nothing is left to correct.  A word typed with a capital first letter (a phone's first
// word) is corrected into one.  Only a word replaced by a word is judged: when the two do not pair
// up, Xapian's correction stands.
static std::string real_correction(ks_db *db, const std::string &typed, const std::string &text,
				   const std::string &corrected)
{
	if (corrected.empty())
		return corrected;
	const std::vector<std::string> a = word_runs(text), b = word_runs(corrected);
	std::vector<std::string> shown = word_runs(typed);
	if (a.size() != b.size())
		return corrected;
	if (shown.size() != a.size())
		shown = a;
	std::string out;
	bool changed = false;
	for (size_t i = 0; i < a.size(); i++) {
		const bool word = i % 2 == 1;
		if (!word && a[i] != b[i])
			return corrected;
		if (word && a[i] != b[i] && !known_word(db, a[i])) {
			out += shown[i] == capitalised(a[i]) ? capitalised(b[i]) : b[i];
			changed = true;
		} else {
			out += shown[i];
		}
	}
	return changed ? out : std::string();
}

// Q's plain words, for a query that cannot be parsed: no quotes, brackets,
// wildcards, prefixes, ranges or operators.  The words of Q and of
// lowered_query(Q) pair up.
static std::string plain_words(const std::string &q)
{
	std::string cleaned = q;
	for (size_t i = 0; i < cleaned.size(); i++) {
		if (std::strchr("\"()*+-:", cleaned[i]))
			cleaned[i] = ' ';
		// Ranges are parsed whatever the flags; a single '.' is kept,
		// as in "10.00".
		else if (cleaned.compare(i, 2, "..") == 0)
			cleaned[i] = cleaned[i + 1] = ' ';
	}
	// A stray operator is not one of the words the user looks for.
	std::string words, word;
	for (size_t i = 0; i <= cleaned.size(); i++) {
		if (i < cleaned.size() && cleaned[i] != ' ') {
			word += cleaned[i];
			continue;
		}
		if (!word.empty() && !is_operator(word))
			words += (words.empty() ? "" : " ") + word;
		word.clear();
	}
	return words;
}

Xapian::Query parse(ks_db *db, const std::string &q, std::string *suggestion)
{
	// Letter case never matters (lowered_query()): "Budget" is stemmed
	// as "budget" is, "Titel:" is "titel:".
	const std::string text = lowered_query(q);
	// A query of only -words finds everything but them: there is nothing
	// in it to correct that it would find.
	const std::string nots = only_excluded(text);
	if (!nots.empty()) {
		try {
			Xapian::Query query = folded(db, db->qp.parse_query(nots, KS_QUERY_FLAGS));
			if (suggestion)
				suggestion->clear();
			return query;
		} catch (const Xapian::QueryParserError &) {
		}
	}
	const unsigned spelling = suggestion ? Xapian::QueryParser::FLAG_SPELLING_CORRECTION : 0;
	const auto parsed = [&](const std::string &typed, const std::string &t, unsigned flags) {
		Xapian::Query query = folded(db, db->qp.parse_query(t, flags | spelling));
		if (suggestion)
			*suggestion =
				real_correction(db, typed, t, db->qp.get_corrected_query_string());
		return query;
	};
	try {
		return parsed(q, text, KS_QUERY_FLAGS);
	} catch (const Xapian::QueryParserError &) {
	}
	try {
		return parsed(plain_words(q), plain_words(text), 0);
	} catch (const Xapian::QueryParserError &) {
		if (suggestion)
			suggestion->clear();
		return Xapian::Query::MatchNothing;
	}
}

std::string trimmed(const char *q)
{
	std::string s = q ? q : "";
	const char *blank = " \t\r\n";
	size_t a = s.find_first_not_of(blank);
	if (a == std::string::npos)
		return std::string();
	return s.substr(a, s.find_last_not_of(blank) - a + 1);
}

// The weight that puts a case's own items above every other match when the
// query names its case number.  BM25 gives a term a few units at most; the
// sum of a whole query stays far below this.
static const double KS_CASE_BOOST = 1e6;

static bool ascii_digit(const std::string &s, size_t i)
{
	return i < s.size() && s[i] >= '0' && s[i] <= '9';
}

static bool ascii_letter(const std::string &s, size_t i)
{
	return i < s.size() && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z'));
}

// Whether the byte at I of S can be part of a word (ASCII letters and digits,
// any byte of a multi-byte character).
static bool word_byte(const std::string &s, size_t i)
{
	return i < s.size() && (ascii_digit(s, i) || ascii_letter(s, i) ||
				static_cast<unsigned char>(s[i]) >= 0x80);
}

// The case numbers in TEXT, in any form ("25-002452", "21-046835k",
// "25 - 002452", "25-2452"), as ks_sagsnummer_parse() writes them; *REST
// receives TEXT without them and without a word "sag" (or "sagsnr.", "nr.")
// before one.  A number in quotes or after a field prefix ("sag:25-002452")
// stays.  A number written without its zeros is one only when DB knows the
// case (case_known()): "kl. 10-12" is a time, "s. 4-7" pages.
static std::vector<std::string> case_numbers(ks_db *db, const std::string &text, std::string *rest)
{
	std::vector<std::string> found;
	std::string out;
	bool quoted = false;
	for (size_t i = 0; i < text.size();) {
		if (text[i] == '"')
			quoted = !quoted;
		size_t k = i + 2, digits;
		bool is_case = !quoted && ascii_digit(text, i) && ascii_digit(text, i + 1) &&
			       (i == 0 || (!word_byte(text, i - 1) && text[i - 1] != ':'));
		if (is_case) {
			while (k < text.size() && text[k] == ' ')
				k++;
			is_case = k < text.size() && text[k] == '-';
		}
		if (is_case) {
			for (k++; k < text.size() && text[k] == ' ';)
				k++;
			for (digits = 0; ascii_digit(text, k + digits);)
				digits++;
			is_case = digits >= 1 && digits <= KS_SAGSNUMMER_DIGITS;
			k += digits;
		}
		size_t end = k;
		if (is_case && ascii_letter(text, end))
			end++;
		if (!is_case || word_byte(text, end)) {
			out += text[i++];
			continue;
		}
		char sag[KS_SAGSNUMMER_SIZE];
		const std::string nr =
			text.substr(i, 2) + "-" + text.substr(k - digits, end - k + digits);
		if (!ks_sagsnummer_read(nr.c_str(), sag) ||
		    (digits < KS_SAGSNUMMER_DIGITS && !case_known(db, sag))) {
			out += text[i++];
			continue;
		}
		found.push_back(sag);
		// "sag 25-002452", "sagsnr. 25-002452": the word names the
		// number, it is not one to look for.
		static const char *const names[] = { "sag",        "sagen", "sagsnr.", "sagsnr",
						     "sagsnummer", "nr.",   "nr" };
		size_t w = out.find_last_not_of(' ');
		if (w != std::string::npos) {
			const size_t start = out.find_last_of(' ', w) + 1; // npos + 1 == 0
			const std::string word =
				Xapian::Unicode::tolower(out.substr(start, w + 1 - start));
			for (const char *name : names)
				if (word == name)
					out.erase(start);
		}
		out += ' ';
		i = end;
	}
	*rest = out;
	return found;
}

// The query that TEXT (trimmed, not blank) stands for.  A case number in it
// selects the case: the records that mention the number, or that are the
// case's items, which a fixed weight ranks first whatever the other words
// find.  The boost is a posting source filtered by the case's term (or its
// lettered cases', case_filter()): boolean terms have wdf 0, so
// OP_SCALE_WEIGHT on the term alone would add nothing.  Several case
// numbers select any of their cases.
static Xapian::Query user_query(ks_db *db, const std::string &text)
{
	std::string rest;
	const std::vector<std::string> cases = case_numbers(db, text, &rest);
	if (cases.empty())
		return parse(db, text, nullptr);
	std::vector<Xapian::Query> any;
	for (const std::string &sag : cases) {
		Xapian::Query boost(
			(new Xapian::FixedWeightPostingSource(KS_CASE_BOOST))->release());
		Xapian::Query own(Xapian::Query::OP_FILTER, boost, case_filter(db, sag));
		any.emplace_back(Xapian::Query::OP_OR, parse(db, sag, nullptr), own);
	}
	Xapian::Query selected(Xapian::Query::OP_OR, any.begin(), any.end());
	// What is left may be no words at all ("25-002452 - 25-002103").
	const Xapian::Query words = parse(db, rest, nullptr);
	if (words.empty())
		return selected;
	return Xapian::Query(Xapian::Query::OP_AND, words, selected);
}

static bool given(const char *s)
{
	return s && *s;
}

// "YYYY-MM-DD" as the "YYYYMMDD" that KS_SLOT_DATE holds, or false if S is
// not a date of the calendar.
static bool date_value(const char *s, std::string *out)
{
	char value[KS_DATE_VALUE_SIZE];
	if (!ks_date_parse(s, value))
		return false;
	*out = value;
	return true;
}

// The filter of FIELD for VALUES, one value or several joined by
// KS_FACET_SEP (which no facet value holds): any of them (OR within a
// facet), each matched as the indexer wrote it.
static Xapian::Query any_value(ks_field_id field, const char *values)
{
	std::vector<Xapian::Query> any;
	for (const char *v = values;; v++) {
		const char *end = std::strchr(v, KS_FACET_SEP);
		const std::string value = end ? std::string(v, end) : std::string(v);
		if (!value.empty())
			any.emplace_back(boolean_term(field, value.c_str()));
		if (!end)
			break;
		v = end;
	}
	return Xapian::Query(Xapian::Query::OP_OR, any.begin(), any.end());
}

ks_status filter_of(ks_db *db, const ks_query *q, Xapian::Query *out, bool *any)
{
	std::vector<Xapian::Query> all;
	const struct {
		ks_field_id field;
		const char *value;
	} terms[] = {
		{ KS_FIELD_TYPE, q->type },
		{ KS_FIELD_UDVALG, q->udvalg },
		{ KS_FIELD_DECISION, q->beslutning },
		{ KS_FIELD_YEAR, q->year },
	};
	for (const auto &t : terms)
		if (given(t.value))
			all.push_back(any_value(t.field, t.value));
	char sag[KS_SAGSNUMMER_SIZE];
	if (given(q->sag))
		all.push_back(ks_sagsnummer_read(q->sag, sag)
				      ? case_filter(db, sag)
				      : Xapian::Query(boolean_term(KS_FIELD_SAG, q->sag)));
	if (q->lukket >= 0)
		all.emplace_back(boolean_term(KS_FIELD_LUKKET, q->lukket ? "true" : "false"));

	std::string from, to;
	if (given(q->from) && !date_value(q->from, &from))
		return invalid(db, "from is not a date of the form YYYY-MM-DD");
	if (given(q->to) && !date_value(q->to, &to))
		return invalid(db, "to is not a date of the form YYYY-MM-DD");
	// Undated records (budget sections) have no value, so any date bound
	// leaves them out.
	if (!from.empty() && !to.empty() && from > to)
		all.push_back(Xapian::Query::MatchNothing);
	else if (!from.empty() && !to.empty())
		all.emplace_back(Xapian::Query::OP_VALUE_RANGE, KS_SLOT_DATE, from, to);
	else if (!from.empty())
		all.emplace_back(Xapian::Query::OP_VALUE_GE, KS_SLOT_DATE, from);
	else if (!to.empty())
		all.emplace_back(Xapian::Query::OP_VALUE_LE, KS_SLOT_DATE, to);

	*any = !all.empty();
	if (*any)
		*out = Xapian::Query(Xapian::Query::OP_AND, all.begin(), all.end());
	return KS_OK;
}

void sort_by_date(Xapian::Enquire &enquire, bool newest_first)
{
	// One value per order, made when the record was stored: over remote
	// shards, whose backend refuses a KeyMaker, as over one index.  No two
	// records share one (it ends in the id), so relevance decides nothing.
	enquire.set_sort_by_value(newest_first ? KS_SLOT_DATE_NEWEST : KS_SLOT_DATE_OLDEST, false);
}

void sort_by_amount(ks_db *db, Xapian::Enquire &enquire, bool largest_first)
{
	if (db->remote) {
		enquire.set_sort_by_value_then_relevance(KS_SLOT_NETTOBUDGET, largest_first);
		return;
	}
	Xapian::MultiValueKeyMaker *key = new Xapian::MultiValueKeyMaker;
	key->add_value(KS_SLOT_NETTOBUDGET, largest_first, largest_first ? "" : "\xff");
	enquire.set_sort_by_key_then_relevance(key->release(), false);
}

Xapian::Query searched(ks_db *db, const std::string &text)
{
	return ks::merge_repeated(user_query(db, text));
}

Xapian::termcount wildcard_words(ks_db *db, const Xapian::Query &query, Xapian::termcount stop_past)
{
	return ks::wildcard_terms(db->reader(), query, KS_MAX_WILDCARD_TERMS, stop_past,
				  own_stems_pattern);
}

Xapian::Query matched(ks_db *db, const Xapian::Query &query)
{
	// A word that is its own stem is a "Z" term (word_term()): a wildcard
	// looks among those too.
	if (db->remote)
		return ks::with_also_wildcards(query, KS_MAX_WILDCARD_TERMS, own_stems_pattern);
	return ks::expand_wildcards(db->reader(), query, KS_MAX_WILDCARD_TERMS,
				    db->writable ? nullptr : &db->expansions, own_stems_pattern);
}

extern "C" ks_status ks_db_describe_query(ks_db *db, const char *q, char **out)
{
	if (!db)
		return KS_ERR_INVALID;
	if (!out)
		return invalid(db, "no result pointer");
	return guard(db, [&] {
		const std::string text = trimmed(q);
		Xapian::Query query = text.empty() ? Xapian::Query() : searched(db, text);
		db->cases.clear(); // no search answers them
		return copy_out(query.get_description(), out);
	});
}
