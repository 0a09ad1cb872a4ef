package hub

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

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
func OpenPostgres(ctx context.Context, url string, now func() time.Time, retain int) (*HubStore, func(), error) {
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		return nil, nil, fmt.Errorf("hub: postgres: %w", err)
	}
	if err := migrate(ctx, pool); err != nil {
		pool.Close()
		return nil, nil, err
	}
	return newHubStore(&pgKV{pool: pool}, now, retain), pool.Close, nil
}

// migrate applies the migrations this database has not had, under an
// advisory lock so two hubs starting together do not both apply one.
func migrate(ctx context.Context, pool *pgxpool.Pool) error {
	tx, err := pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("hub: postgres: migrate: %w", err)
	}
	defer tx.Rollback(ctx)
	const lockID = 0x74656e64 // "tend"
	stmts := []string{
		`SELECT pg_advisory_xact_lock(` + fmt.Sprint(lockID) + `)`,
		`CREATE TABLE IF NOT EXISTS hub_schema (version int PRIMARY KEY, applied timestamptz NOT NULL DEFAULT now())`,
	}
	for _, q := range stmts {
		if _, err := tx.Exec(ctx, q); err != nil {
			return fmt.Errorf("hub: postgres: migrate: %w", err)
		}
	}
	var have int
	if err := tx.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM hub_schema`).Scan(&have); err != nil {
		return fmt.Errorf("hub: postgres: schema version: %w", err)
	}
	if have > len(migrations) {
		return fmt.Errorf("hub: postgres: the database has schema version %d, this hub knows %d: upgrade the hub", have, len(migrations))
	}
	for v := have + 1; v <= len(migrations); v++ {
		if _, err := tx.Exec(ctx, migrations[v-1]); err != nil {
			return fmt.Errorf("hub: postgres: migration %d: %w", v, err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO hub_schema (version) VALUES ($1)`, v); err != nil {
			return fmt.Errorf("hub: postgres: migration %d: %w", v, err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("hub: postgres: migrate: %w", err)
	}
	return nil
}

// pgKV is the hub's records in PostgreSQL.
type pgKV struct{ pool *pgxpool.Pool }

func (p *pgKV) cacheKeys() bool { return false }

func (p *pgKV) update(fn func(tx kvTx) error) error {
	return p.run(pgx.TxOptions{IsoLevel: pgx.Serializable}, fn)
}

func (p *pgKV) view(fn func(tx kvTx) error) error {
	return p.run(pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, fn)
}

func (p *pgKV) run(opts pgx.TxOptions, fn func(tx kvTx) error) error {
	var err error
	wait := time.Millisecond
	for range pgRetries {
		err = p.once(opts, fn)
		var pgErr *pgconn.PgError
		if !errors.As(err, &pgErr) || (pgErr.Code != "40001" && pgErr.Code != "40P01") {
			return err
		}
		time.Sleep(wait/2 + rand.N(wait))
		wait = min(2*wait, pgRetryMax)
	}
	return fmt.Errorf("hub: postgres: gave up after %d serialization conflicts: %w", pgRetries, err)
}

func (p *pgKV) once(opts pgx.TxOptions, fn func(tx kvTx) error) error {
	ctx, cancel := context.WithTimeout(context.Background(), pgOpTimeout)
	defer cancel()
	tx, err := p.pool.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("hub: postgres: begin: %w", err)
	}
	defer tx.Rollback(ctx)
	ptx := &pgTx{ctx: ctx, tx: tx}
	if err := fn(ptx); err != nil {
		return err
	}
	if err := ptx.flush(); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("hub: postgres: commit: %w", err)
	}
	return nil
}

// pgTx queues its writes and sends them in one round trip (a pgx batch)
// before the next read and before commit: an ingest writes 250 device
// records, one round trip each before.
type pgTx struct {
	ctx     context.Context
	tx      pgx.Tx
	pending pgx.Batch
}

// flush sends the queued writes; the first failure fails the transaction.
func (t *pgTx) flush() error {
	if t.pending.Len() == 0 {
		return nil
	}
	err := t.tx.SendBatch(t.ctx, &t.pending).Close()
	t.pending = pgx.Batch{}
	return err
}

func (t *pgTx) Get(key string) (string, error) {
	if err := t.flush(); err != nil {
		return "", err
	}
	var v string
	err := t.tx.QueryRow(t.ctx, `SELECT value FROM hub_kv WHERE key = $1`, key).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", fmt.Errorf("hub: key %q: %w", key, storage.ErrNotFound)
	}
	return v, err
}

func (t *pgTx) Set(key, val string) error {
	t.pending.Queue(`INSERT INTO hub_kv (key, value) VALUES ($1, $2)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, val)
	return nil
}

func (t *pgTx) Delete(key string) error {
	t.pending.Queue(`DELETE FROM hub_kv WHERE key = $1`, key)
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
	if err := t.flush(); err != nil {
		return err
	}
	rows, err := t.tx.Query(t.ctx, `SELECT key, value FROM hub_kv WHERE key >= $1 AND starts_with(key, $1) ORDER BY key `+order, prefix)
	if err != nil {
		return err
	}
	type kvPair struct{ k, v string }
	var all []kvPair
	for rows.Next() {
		var p kvPair
		if err := rows.Scan(&p.k, &p.v); err != nil {
			rows.Close()
			return err
		}
		all = append(all, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, p := range all {
		if !fn(p.k, p.v) {
			break
		}
	}
	return nil
}
