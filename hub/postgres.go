package hub

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strconv"
	"sync/atomic"
	"time"

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
	pending pgconn.Batch
	queued  int
	sent    bool // something went to the server: the transaction is open there
}

func textParams(args []string) [][]byte {
	params := make([][]byte, len(args))
	for i, a := range args {
		params[i] = []byte(a)
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
	t.pending.ExecParams(sql, textParams(args), nil, nil, nil)
	t.queued++
}

// send sends the queued statements and returns their results; the first
// failure fails the transaction.
func (t *pgTx) send() ([]*pgconn.Result, error) {
	if t.queued == 0 {
		return nil, nil
	}
	t.sent = true
	res, err := t.conn.ExecBatch(t.ctx, &t.pending).ReadAll()
	t.pending, t.queued = pgconn.Batch{}, 0
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
	t := &pgTx{ctx: ctx, conn: c}
	t.queue("BEGIN " + mode) // goes with the first statement
	return t, nil
}

func (t *pgTx) end(pool *pgPool, err error) error {
	defer pool.put(t.conn)
	rollback := func() {
		// A rollback that fails leaves the connection inside the
		// transaction: put closes it.
		if t.sent && t.conn.TxStatus() != 'I' {
			_, _ = t.conn.Exec(t.ctx, "ROLLBACK").ReadAll()
		}
	}
	if err != nil {
		t.pending, t.queued = pgconn.Batch{}, 0
		rollback()
		return err
	}
	if !t.sent && t.queued <= 1 {
		return nil // only BEGIN, never sent: no transaction to end
	}
	t.queue("COMMIT") // with the last writes, in one round trip
	if _, err := t.send(); err != nil {
		rollback()
		return fmt.Errorf("hub: postgres: commit: %w", err)
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
type pgKV struct{ pool *pgPool }

func (p *pgKV) cacheKeys() bool { return false }

func (p *pgKV) update(fn func(tx kvTx) error) error {
	return p.run("ISOLATION LEVEL SERIALIZABLE", fn)
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
	t.queue(`INSERT INTO hub_kv (key, value) VALUES ($1, $2)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, val)
	return nil
}

func (t *pgTx) Delete(key string) error {
	t.queue(`DELETE FROM hub_kv WHERE key = $1`, key)
	return nil
}

func (t *pgTx) DeleteRange(prefix, end string) error {
	t.queue(`DELETE FROM hub_kv WHERE key >= $1 AND starts_with(key, $1) AND key < $2`, prefix, end)
	return nil
}

func (t *pgTx) Ascend(prefix string, fn func(key, val string) bool) error {
	return t.scan(prefix, "ASC", fn)
}

func (t *pgTx) Descend(prefix string, fn func(key, val string) bool) error {
	return t.scan(prefix, "DESC", fn)
}

// scan reads the keys with prefix (all of them first: fn may use the
// transaction, and a connection runs one query at a time).
func (t *pgTx) scan(prefix, order string, fn func(key, val string) bool) error {
	rows, err := t.query(`SELECT key, value FROM hub_kv WHERE key >= $1 AND starts_with(key, $1) ORDER BY key `+order, prefix)
	if err != nil {
		return err
	}
	for _, r := range rows {
		if !fn(string(r[0]), string(r[1])) {
			break
		}
	}
	return nil
}
