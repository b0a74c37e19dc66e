/* ks-limits.h — every limit of the server, named in one place.  Users never
 * reach them; a hostile client always does, and gets a clear 4xx. */
#ifndef KS_LIMITS_H
#define KS_LIMITS_H

/* The request target (path and query string).  Longer is 414.  Browsers and
 * proxies handle 8 kB; a real query is a few hundred bytes. */
#define KS_MAX_URL_BYTES 8192

/* All request headers together (names and values).  More is 431: browsers
 * send 1-2 kB, and nginx refuses more than 4 x 8 kB by default. */
#define KS_MAX_HEADER_BYTES (16 * 1024)

/* What libmicrohttpd may allocate per connection for the request line and
 * headers.  A request that does not fit is refused by libmicrohttpd itself
 * (431 or 414, without our headers), so this is set well above
 * KS_MAX_URL_BYTES and KS_MAX_HEADER_BYTES: a 100 kB URL or header still
 * gets the server's own 414 or 431.  The pool is mapped, and its pages
 * become resident only as far as a request fills them: an idle connection
 * costs the few pages its requests touched, not this. */
#define KS_CONNECTION_MEMORY (256 * 1024)

/* The message of a JSON error.  It may quote what a client sent (a
 * parameter's name): a longer one is cut between two characters and ends in
 * "…", so that a response does not grow with the request. */
#define KS_MAX_MESSAGE_BYTES 512

/* The accessibility statement's contact (--contact): an e-mail address or
 * the address of a web page; longer is an error at start. */
#define KS_MAX_CONTACT_BYTES 256

/* The text of q.  Longer is 400: no one types a kilobyte of search words,
 * and every word costs a posting-list lookup. */
#define KS_MAX_QUERY_BYTES 1024

/* The values of one facet a search may be filtered by (udvalg=a&udvalg=b):
 * more is 400.  A facet has a few dozen values; each is one more term. */
#define KS_MAX_FACET_VALUES 64

/* The completions /api/suggest offers, and the words it walks in the
 * index's spelling data (for the word as typed and in its other spelling)
 * from the word's beginning on: a beginning of one letter walks thousands,
 * of three a few, and a completion is asked for at every key press. */
#define KS_SUGGEST_COUNT 8
#define KS_SUGGEST_WALK  2000

/* Results per page: default and cap (a larger per_page is capped). */
#define KS_DEFAULT_PER_PAGE 20
#define KS_MAX_PER_PAGE     100

/* The deepest result a page may reach; deeper is 400.  Paging that far is
 * a crawler; the CSV export gives every hit in one request. */
#define KS_MAX_OFFSET 10000

/* Rows of an export (CSV or xlsx) and entries of a feed.  An export cut
 * at its cap says so in a last row of its own. */
#define KS_MAX_CSV_ROWS 10000
#define KS_FEED_ENTRIES 50

/* --public-url: a host and a path prefix, well within the 300 bytes that
 * a route keeps for it. */
#define KS_MAX_PUBLIC_URL_BYTES 200

/* The search's words in an export's file name (bytes of a-z, 0-9 and '-';
 * whole words): enough to tell two exports apart in a download folder. */
#define KS_EXPORT_NAME_CHARS 60

/* The characters of one cell of an xlsx export: Excel's own limit of a
 * cell's text.  A longer decision is cut there and ends in "…". */
#define KS_XLSX_CELL_CHARS 32767

/* The length of a snippet, in bytes of text around the matches. */
#define KS_SNIPPET_BYTES 300

/* A search that finds fewer documents than this gets a spelling
 * suggestion ("Mente du ..."); one that finds more is spelt as the
 * documents spell it, and is spared the cost of the correction. */
#define KS_SUGGEST_BELOW 5

/* Open connections at once, and how long one may sit idle (seconds) before
 * it is closed.  Idle connections cost a file descriptor and a little
 * memory, not a worker: the workers poll them with epoll. */
#define KS_MAX_CONNECTIONS    4000
#define KS_CONNECTION_TIMEOUT 15
#define KS_LISTEN_BACKLOG     1024

/* How long a request's line and headers may take to arrive whole, from
 * when the connection opened or its previous response was sent (seconds).
 * KS_CONNECTION_TIMEOUT counts only silence: a client that sends a byte a
 * second never falls silent, and would hold its connection for ever. */
#define KS_REQUEST_TIMEOUT 10

/* On SIGTERM, how long requests in flight may take to finish (seconds).  In
 * the last KS_DRAIN_CANCEL_SECONDS of it, the searches still running are
 * stopped and those still queued are refused (503), so that the server is
 * gone within KS_DRAIN_SECONDS whatever it had been asked. */
#define KS_DRAIN_SECONDS        10
#define KS_DRAIN_CANCEL_SECONDS 1

/* How often a reader asks Xapian for a newer revision even when nothing on
 * disk seems to have changed (remote shards, a clock that did not move). */
#define KS_REOPEN_INTERVAL_MS 2000

/* What one search may cost.  Each wildcard ("hjem*") expands to at most
 * KS_MAX_WILDCARD_TERMS (lib/ks-xapian.h) words, its most frequent; all the
 * wildcards of a query together to at most KS_MAX_QUERY_EXPANSION, a
 * wildcard repeated under AND or OR ("s* s* s*") counted once.  A match
 * reads a posting list per word, so more is 400, before anything is
 * matched: four one-letter wildcards fit, 21 do not. */
#define KS_MAX_QUERY_EXPANSION 1024

/* How long one search may take (milliseconds; --search-timeout changes
 * it, up to KS_MAX_SEARCH_TIMEOUT_MS): past it the match stops and the
 * answer is 400 saying what to narrow.  A search takes far less, even over
 * a million records (bench/RESULTS.md); a search thread held longer makes
 * everyone else wait. */
#define KS_SEARCH_TIMEOUT_MS     1000
#define KS_MAX_SEARCH_TIMEOUT_MS 3600000

/* The largest --facets-exact: the match sets up to which a search counts
 * its facets and total exactly (the default is the binding's
 * KS_FACETS_EXACT).  Beyond a million records an exact count costs a
 * search far more than its time limit. */
#define KS_MAX_FACETS_EXACT 100000000

/* Exports (format=csv) made at once: one per two search threads, at least
 * one, so that plain searches always find a search thread.  An export
 * holds its slot until its last piece is handed to the connection (its
 * body is a temporary file on disk); a request past the slots is 503 with Retry-After of this many
 * seconds. */
#define KS_EXPORT_RETRY_SECONDS 5

/* An export's body goes to an unlinked temporary file (in $TMPDIR, else
 * /tmp) in pieces of this many bytes: its memory does not grow with its
 * rows.  Where no temporary file can be made, it is kept in memory. */
#define KS_EXPORT_CHUNK_BYTES (64 * 1024)

/* The items of one meeting a meeting page lists, and an item page looks
 * among for the items before and after it: more than any agenda has. */
#define KS_MAX_MEETING_ITEMS 1000

/* A link preview's description (<meta name="description">, og:description)
 * is cut at a word within this many bytes, as unfurls show about that. */
#define KS_DESCRIPTION_BYTES 300

/* A page of --web that the server writes its <head> into is read whole;
 * a larger file is no page of ours and is sent as it is. */
#define KS_MAX_PAGE_BYTES (1024 * 1024)

/* --source-url may be given this many times. */
#define KS_MAX_SOURCE_URLS 64

#endif
