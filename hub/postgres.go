package hub

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/jackc/pgx/v5/pgconn"

	"tend/storage"
)

// migrations are the PostgreSQL schema's versions, applied in order, each
// once, each in its own transaction; hub_schema records which ran. Never
// edit one that has shipped: add the next.
var migrations = []string{
	// 1: the hub's records, the same keys and JSON values as the embedded
	// store. COLLATE "C" makes ORDER BY key byte order, as buntdb's.
	`CREATE TABLE hub_kv (
		key   text COLLATE "C" PRIMARY KEY,
		value text NOT NULL
	)`,
}

// pgOpTimeout bounds one statement; a hub never waits on the database for ever.
const pgOpTimeout = 30 * time.Second

// pgRetries is how often a transaction that lost a serialization race is
// run again: two hubs ingesting for one site at once, or, more often,
// ingests for different sites whose rows share index pages (PostgreSQL's
// serializable isolation locks reads by page). Each retry waits a random
// while, doubling up to pgRetryMax, so racing transactions spread out.
const pgRetries = 20

const pgRetryMax = 200 * time.Millisecond

// OpenPostgres connects to the PostgreSQL database at url (postgres://…),
// brings its schema up to date and returns the hub's data in it. Several
// hub processes may use one database at once: every transaction is
// SERIALIZABLE, retried when it loses a race, and nothing another process
// needs is kept in memory. Close it with the returned function.
//
// The hub speaks to PostgreSQL through pgx's connection layer (pgconn):
// its one table holds text keys and text values, so it needs neither
// pgx's type system nor its pool, which made 2 MB of the binary.
func OpenPostgres(ctx context.Context, url string, now func() time.Time, retain int) (*HubStore, func(), error) {
	cfg, err := pgconn.ParseConfig(url)
	if err != nil {
		return nil, nil, fmt.Errorf("hub: postgres: %w", err)
	}
	pool := newPgPool(cfg, max(4, runtime.NumCPU()))
	if err := migrate(ctx, pool); err != nil {
		pool.close()
		return nil, nil, err
	}
	return newHubStore(&pgKV{pool: pool}, now, retain), pool.close, nil
}

// pgPool holds up to size connections to one database: a transaction takes
// one for its whole length and gives it back, and a connection that broke,
// or is still inside a transaction, is closed instead of kept.
type pgPool struct {
	cfg   *pgconn.Config
	slots chan struct{}       // one token per connection open or being opened
	idle  chan *pgconn.PgConn // connections ready for the next transaction
	shut  atomic.Bool         // close ran: connections put back are closed
	// batches are emptied statement batches whose buffers the next
	// transactions encode into (an ingest's are ~20-300 KB).
	batches sync.Pool
}

// maxKeptBatch is the largest batch buffer kept for the next transaction.
const maxKeptBatch = 1 << 20

// batch returns an empty statement batch.
func (p *pgPool) batch() *pgconn.Batch {
	if b, ok := p.batches.Get().(*pgconn.Batch); ok {
		return b
	}
	return &pgconn.Batch{}
}

func newPgPool(cfg *pgconn.Config, size int) *pgPool {
	return &pgPool{cfg: cfg, slots: make(chan struct{}, size), idle: make(chan *pgconn.PgConn, size)}
}

// get returns an idle connection, or opens one when fewer than size are
// open, or waits for one to be put back.
func (p *pgPool) get(ctx context.Context) (*pgconn.PgConn, error) {
	for {
		select {
		case c := <-p.idle:
			if !c.IsClosed() {
				return c, nil
			}
			<-p.slots
		case p.slots <- struct{}{}:
			c, err := pgconn.ConnectConfig(ctx, p.cfg)
			if err != nil {
				<-p.slots
				return nil, fmt.Errorf("hub: postgres: connect: %w", err)
			}
			return c, nil
		case <-ctx.Done():
			return nil, fmt.Errorf("hub: postgres: waiting for a connection: %w", ctx.Err())
		}
	}
}

// put gives c back, or closes it when it cannot serve the next transaction.
func (p *pgPool) put(c *pgconn.PgConn) {
	if p.shut.Load() || c.IsClosed() || c.IsBusy() || c.TxStatus() != 'I' {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		c.Close(ctx)
		cancel()
		<-p.slots
		return
	}
	p.idle <- c
}

// close closes the idle connections; a transaction still running closes
// its own when it ends.
func (p *pgPool) close() {
	p.shut.Store(true)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for {
		select {
		case c := <-p.idle:
			c.Close(ctx)
			<-p.slots
		default:
			return
		}
	}
}

// pgTx is one transaction on one connection; every statement's
// parameters and results are text. BEGIN and writes are queued and go in
// one round trip (a pipelined batch) with the next read, or with COMMIT:
// an ingest writes 250 device records, one round trip each otherwise, and
// a transaction costs no round trips of its own.
type pgTx struct {
	ctx     context.Context
	conn    *pgconn.PgConn
	pending *pgconn.Batch // from pgPool.batch; given back by end
	queued  int
	encoded int  // bytes queued in this transaction: its batch's buffer is at most about this
	sent    bool // something went to the server: the transaction is open there
	// cache holds what prefetch read (nil value: no such key), and what
	// this transaction wrote to those keys since.
	cache map[string]*string
	// after is a prefix read that goes with COMMIT (readAfterCommit).
	after *afterRead
}

// afterRead is a read of the keys with prefix sent after COMMIT, in the
// same round trip: rows is its first chunk, complete says it holds every
// key, and ok says it ran (the transaction committed).
type afterRead struct {
	prefix   string
	rows     [][][]byte
	complete bool
	ok       bool
}

// readAfterCommit reads the keys with prefix once the transaction has
// committed, in the commit's round trip (a statement of its own after
// COMMIT: it sees the committed state): the site's decisions the handler
// answers with after an ingest, without a round trip of their own.
func (t *pgTx) readAfterCommit(r *afterRead) { t.after = r }

// arrayQuote escapes an element of a PostgreSQL array literal.
var arrayQuote = strings.NewReplacer(`\`, `\\`, `"`, `\"`)

// prefetch reads keys in one round trip for the Gets that follow (an
// ingest reads seven records: one query, not seven).
func (t *pgTx) prefetch(keys ...string) error {
	var arr strings.Builder
	arr.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			arr.WriteByte(',')
		}
		arr.WriteByte('"')
		arr.WriteString(arrayQuote.Replace(k))
		arr.WriteByte('"')
	}
	arr.WriteByte('}')
	rows, err := t.query(`SELECT key, value FROM hub_kv WHERE key = ANY($1::text[])`, arr.String())
	if err != nil {
		return err
	}
	if t.cache == nil {
		t.cache = make(map[string]*string, len(keys))
	}
	for _, k := range keys {
		t.cache[k] = nil
	}
	for _, r := range rows {
		v := string(r[1])
		t.cache[string(r[0])] = &v
	}
	return nil
}

// textParams are args as pgconn takes them. Not copies: pgconn only
// appends a parameter's bytes to its batch, and a record's value is most
// of what an ingest sends.
func textParams(args []string) [][]byte {
	params := make([][]byte, len(args))
	for i, a := range args {
		params[i] = unsafe.Slice(unsafe.StringData(a), len(a))
	}
	return params
}

// query runs sql with text parameters after the queued statements, in
// the same round trip, and returns its rows.
func (t *pgTx) query(sql string, args ...string) ([][][]byte, error) {
	t.queue(sql, args...)
	res, err := t.send()
	if err != nil {
		return nil, err
	}
	return res[len(res)-1].Rows, nil
}

// queue adds a write to the next batch.
func (t *pgTx) queue(sql string, args ...string) {
	if t.pending == nil {
		t.pending = &pgconn.Batch{}
	}
	t.pending.ExecParams(sql, textParams(args), nil, nil, nil)
	t.queued++
	t.encoded += len(sql) + 64
	for _, a := range args {
		t.encoded += len(a) + 4
	}
}

// send sends the queued statements and returns their results; the first
// failure fails the transaction.
func (t *pgTx) send() ([]*pgconn.Result, error) {
	if t.queued == 0 {
		return nil, nil
	}
	t.sent = true
	res, err := t.conn.ExecBatch(t.ctx, t.pending).ReadAll()
	t.pending.Reset()
	t.queued = 0
	if err == nil {
		for _, r := range res {
			if r.Err != nil {
				return res, r.Err
			}
		}
	}
	return res, err
}

// exec runs statements without parameters (several, separated by ';'),
// after the queued ones.
func (t *pgTx) exec(sql string) error {
	if _, err := t.send(); err != nil {
		return err
	}
	t.sent = true
	_, err := t.conn.Exec(t.ctx, sql).ReadAll()
	return err
}

// begin starts a transaction with the BEGIN statement mode on a
// connection from pool; end commits it when err is nil, else rolls it back,
// and gives the connection back.
func begin(ctx context.Context, pool *pgPool, mode string) (*pgTx, error) {
	c, err := pool.get(ctx)
	if err != nil {
		return nil, err
	}
	t := &pgTx{ctx: ctx, conn: c, pending: pool.batch()}
	t.queue("BEGIN " + mode) // goes with the first statement
	return t, nil
}

func (t *pgTx) end(pool *pgPool, err error) error {
	defer pool.put(t.conn)
	defer func() {
		if t.pending != nil && t.queued == 0 && t.encoded <= maxKeptBatch {
			pool.batches.Put(t.pending)
		}
	}()
	rollback := func() {
		// A rollback that fails leaves the connection inside the
		// transaction: put closes it.
		if t.sent && t.conn.TxStatus() != 'I' {
			_, _ = t.conn.Exec(t.ctx, "ROLLBACK").ReadAll()
		}
	}
	if err != nil {
		t.pending.Reset()
		t.queued = 0
		rollback()
		return err
	}
	if !t.sent && t.queued <= 1 {
		t.pending.Reset()
		t.queued = 0
		return nil // only BEGIN, never sent: no transaction to end
	}
	t.queue("COMMIT") // with the last writes, in one round trip
	if t.after != nil {
		t.queue(scanSQL("ASC", ">=", "<"), t.after.prefix, prefixEnd(t.after.prefix), t.after.prefix)
	}
	res, err := t.send()
	if err != nil {
		rollback()
		return fmt.Errorf("hub: postgres: commit: %w", err)
	}
	if t.after != nil && len(res) > 0 {
		a := t.after
		a.rows, a.ok = res[len(res)-1].Rows, true
		a.complete = len(a.rows) < scanChunk
	}
	return nil
}

// migrate applies the migrations this database has not had, under an
// advisory lock so two hubs starting together do not both apply one.
func migrate(ctx context.Context, pool *pgPool) error {
	tx, err := begin(ctx, pool, "")
	if err != nil {
		return fmt.Errorf("hub: postgres: migrate: %w", err)
	}
	return tx.end(pool, tx.migrate())
}

func (t *pgTx) migrate() error {
	const lockID = 0x74656e64 // "tend"
	stmts := []string{
		`SELECT pg_advisory_xact_lock(` + fmt.Sprint(lockID) + `)`,
		`CREATE TABLE IF NOT EXISTS hub_schema (version int PRIMARY KEY, applied timestamptz NOT NULL DEFAULT now())`,
	}
	for _, q := range stmts {
		if err := t.exec(q); err != nil {
			return fmt.Errorf("hub: postgres: migrate: %w", err)
		}
	}
	rows, err := t.query(`SELECT coalesce(max(version), 0) FROM hub_schema`)
	if err != nil {
		return fmt.Errorf("hub: postgres: schema version: %w", err)
	}
	if len(rows) != 1 || len(rows[0]) != 1 {
		return fmt.Errorf("hub: postgres: schema version: %d rows", len(rows))
	}
	have, err := strconv.Atoi(string(rows[0][0]))
	if err != nil {
		return fmt.Errorf("hub: postgres: schema version %q: %w", rows[0][0], err)
	}
	if have > len(migrations) {
		return fmt.Errorf("hub: postgres: the database has schema version %d, this hub knows %d: upgrade the hub", have, len(migrations))
	}
	for v := have + 1; v <= len(migrations); v++ {
		if err := t.exec(migrations[v-1]); err != nil {
			return fmt.Errorf("hub: postgres: migration %d: %w", v, err)
		}
		if _, err := t.query(`INSERT INTO hub_schema (version) VALUES ($1)`, strconv.Itoa(v)); err != nil {
			return fmt.Errorf("hub: postgres: migration %d: %w", v, err)
		}
	}
	return nil
}

// pgKV is the hub's records in PostgreSQL.
type pgKV struct {
	pool      *pgPool
	conflicts atomic.Int64 // transactions that lost a serialization race (and ran again)
}

func (p *pgKV) cacheKeys() bool { return false }

func (p *pgKV) update(fn func(tx kvTx) error) error {
	return p.run("ISOLATION LEVEL SERIALIZABLE", fn)
}

// updateSite runs an ingest: REPEATABLE READ, not SERIALIZABLE. Every
// ingest reads and rewrites its site's count: record, so two ingests of one
// site (two hubs, or a box re-sending) collide on that row and the later
// one fails with 40001 and runs again, as under SERIALIZABLE; everything
// else an ingest reads or writes is its own site's (box:, dev:, day:,
// act:, hist:, fday:…:site). Ingests of different sites share no row, but
// SERIALIZABLE's predicate locks are taken per index page: a new site's
// reads of records it does not have yet (its box record, today's history)
// lock the page its neighbours insert into, and neighbours filling at once
// failed each other until they gave up. The other writers of a site's
// records (DeleteSite, AddNamedSite) write its count: record too.
func (p *pgKV) updateSite(fn func(tx kvTx) error) error {
	return p.run("ISOLATION LEVEL REPEATABLE READ", fn)
}

// getOne reads one key in one statement outside a transaction (one
// round trip instead of a view's two): the site key an ingest checks first.
func (p *pgKV) getOne(key string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), pgOpTimeout)
	defer cancel()
	c, err := p.pool.get(ctx)
	if err != nil {
		return "", err
	}
	defer p.pool.put(c)
	return (&pgTx{ctx: ctx, conn: c}).Get(key)
}

// scanOne reads the first chunk of keys with prefix in one statement
// outside a transaction (readPrefix); complete says it holds them all.
func (p *pgKV) scanOne(prefix string) (rows [][][]byte, complete bool, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), pgOpTimeout)
	defer cancel()
	c, err := p.pool.get(ctx)
	if err != nil {
		return nil, false, err
	}
	defer p.pool.put(c)
	rows, err = (&pgTx{ctx: ctx, conn: c}).query(scanSQL("ASC", ">=", "<"), prefix, prefixEnd(prefix), prefix)
	if err != nil {
		return nil, false, err
	}
	return rows, len(rows) < scanChunk, nil
}

func (p *pgKV) view(fn func(tx kvTx) error) error {
	return p.run("ISOLATION LEVEL REPEATABLE READ READ ONLY", fn)
}

func (p *pgKV) run(mode string, fn func(tx kvTx) error) error {
	var err error
	wait := time.Millisecond
	for range pgRetries {
		err = p.once(mode, fn)
		var pgErr *pgconn.PgError
		if !errors.As(err, &pgErr) || (pgErr.Code != "40001" && pgErr.Code != "40P01") {
			return err
		}
		p.conflicts.Add(1)
		time.Sleep(wait/2 + rand.N(wait))
		wait = min(2*wait, pgRetryMax)
	}
	return fmt.Errorf("hub: postgres: gave up after %d serialization conflicts: %w", pgRetries, err)
}

func (p *pgKV) once(mode string, fn func(tx kvTx) error) error {
	ctx, cancel := context.WithTimeout(context.Background(), pgOpTimeout)
	defer cancel()
	tx, err := begin(ctx, p.pool, mode)
	if err != nil {
		return err
	}
	return tx.end(p.pool, fn(tx))
}

func (t *pgTx) Get(key string) (string, error) {
	if v, ok := t.cache[key]; ok {
		if v == nil {
			return "", fmt.Errorf("hub: key %q: %w", key, storage.ErrNotFound)
		}
		return *v, nil
	}
	rows, err := t.query(`SELECT value FROM hub_kv WHERE key = $1`, key)
	if err != nil {
		return "", err
	}
	if len(rows) == 0 {
		return "", fmt.Errorf("hub: key %q: %w", key, storage.ErrNotFound)
	}
	return string(rows[0][0]), nil
}

func (t *pgTx) Set(key, val string) error {
	if _, ok := t.cache[key]; ok {
		t.cache[key] = &val // the queued write goes before any later query
	}
	t.queue(`INSERT INTO hub_kv (key, value) VALUES ($1, $2)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, val)
	return nil
}

func (t *pgTx) Delete(key string) error {
	if _, ok := t.cache[key]; ok {
		t.cache[key] = nil
	}
	t.queue(`DELETE FROM hub_kv WHERE key = $1`, key)
	return nil
}

func (t *pgTx) DeleteRange(prefix, end string) error {
	t.cache = nil
	t.queue(`DELETE FROM hub_kv WHERE key >= $1 AND starts_with(key, $1) AND key < $2`, prefix, end)
	return nil
}

func (t *pgTx) Ascend(prefix string, fn func(key, val string) bool) error {
	return t.scan(prefix, "ASC", fn)
}

func (t *pgTx) Descend(prefix string, fn func(key, val string) bool) error {
	return t.scan(prefix, "DESC", fn)
}

// scanChunk is how many keys scan reads at a time: a scan that stops
// early (a page of the fleet in ord: order) reads little more than it
// uses.
const scanChunk = 256

// scan reads the keys with prefix, scanChunk at a time (each chunk whole
// before fn sees it: fn may use the transaction, and a connection runs
// one query at a time). The range has both ends, so the index scan (and
// what a serializable transaction locks) stops at the prefix's last key.
func (t *pgTx) scan(prefix, order string, fn func(key, val string) bool) error {
	lo, hi := prefix, prefixEnd(prefix)
	loOp, hiOp := ">=", "<"
	for {
		rows, err := t.query(scanSQL(order, loOp, hiOp), lo, hi, prefix)
		if err != nil {
			return err
		}
		for _, r := range rows {
			if !fn(string(r[0]), string(r[1])) {
				return nil
			}
		}
		if len(rows) < scanChunk {
			return nil
		}
		last := string(rows[len(rows)-1][0])
		if order == "ASC" {
			lo, loOp = last, ">"
		} else {
			hi = last
		}
	}
}

// scanSQL reads scanChunk keys between $1 and $2 (compared with loOp and
// hiOp) that start with $3, in order.
func scanSQL(order, loOp, hiOp string) string {
	return `SELECT key, value FROM hub_kv WHERE key ` + loOp + ` $1 AND key ` + hiOp + ` $2 AND starts_with(key, $3) ORDER BY key ` + order + ` LIMIT ` + strconv.Itoa(scanChunk)
}

// prefixEnd is the first key after every key with prefix: its last byte
// one higher (the hub's prefixes end in ASCII, ':' mostly); "\x7f" and
// above, where that would not be valid text, give the last possible key.
func prefixEnd(prefix string) string {
	if n := len(prefix); n > 0 && prefix[n-1] < 0x7e {
		return prefix[:n-1] + string(prefix[n-1]+1)
	}
	return prefix + "\U0010FFFF"
}
